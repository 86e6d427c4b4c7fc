using CitySense.Contracts.Configuration;
using Microsoft.Extensions.Configuration;

namespace CitySense.Grains;

/// <summary>
/// The grains' keys (Indicators:*, Liveness:*, State:*, Devices:*, Alarms:*, and the router's Ingest:ApplyRetryFor,
/// Ingest:MaxConcurrentGrainCalls and Ingest:RouteByOwner, History:*, Vee:*, Scenarios:*), checked before anything starts.
/// </summary>
public static class GrainsConfiguration
{
    public static IReadOnlyList<string> Validate(IConfiguration config)
    {
        var errors = new List<string>();
        var zone = config["Alarms:TimeZone"];
        if (!string.IsNullOrEmpty(zone) && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors.Add($"Alarms:TimeZone is '{zone}': use an IANA time zone id such as Asia/Shanghai or UTC.");
        }

        ConfigurationRules.Duration(config, "Alarms:EscalateAfter", errors, TimeSpan.FromSeconds(1));
        ConfigurationRules.Duration(config, "Alarms:StoreInterval", errors, TimeSpan.Zero);
        ConfigurationRules.Integer(config, "Alarms:HistoryKept", errors, 1);
        ConfigurationRules.Integer(config, "Alarms:AuditKept", errors, 2);
        ConfigurationRules.Integer(config, "Alarms:ListKept", errors, 1);
        ConfigurationRules.Duration(config, "Indicators:Window", errors, TimeSpan.FromSeconds(1));
        ConfigurationRules.Duration(config, "Indicators:TimelyWithin", errors, TimeSpan.Zero);
        ConfigurationRules.Duration(config, "Indicators:AllowedLateness", errors, TimeSpan.Zero);
        ConfigurationRules.Duration(config, "Indicators:FlushInterval", errors, TimeSpan.FromMilliseconds(100));
        ConfigurationRules.Integer(config, "Indicators:WindowsKept", errors, 1);
        ConfigurationRules.Integer(config, "Indicators:CommunityWindowsKept", errors, 1);
        ConfigurationRules.Duration(config, "Liveness:MinimumSilence", errors, TimeSpan.FromSeconds(1));
        ConfigurationRules.Duration(config, "Liveness:CheckInterval", errors, TimeSpan.FromMilliseconds(10));
        ConfigurationRules.Integer(config, "State:ExtraWindowsStored", errors, 0);
        ConfigurationRules.Integer(config, "Devices:Shards", errors, 1);
        // The router's keys sit in the Ingest section, where operators set how hard ingest pushes on the cluster.
        ConfigurationRules.Duration(config, "Ingest:ApplyRetryFor", errors, TimeSpan.Zero);
        ConfigurationRules.Integer(config, "Ingest:MaxConcurrentGrainCalls", errors, 1);
        ConfigurationRules.Boolean(config, "Ingest:RouteByOwner", errors);
        ConfigurationRules.Duration(config, "History:HoursKept", errors, TimeSpan.FromDays(1));
        // Meters' days are kept 14 months: the months kept cannot be fewer.
        ConfigurationRules.Integer(config, "History:MonthsKept", errors, 14);
        ConfigurationRules.Duration(config, "History:PushInterval", errors, TimeSpan.FromSeconds(1));
        ConfigurationRules.Integer(config, "History:MaxHours", errors, 1);
        ConfigurationRules.Integer(config, "History:MaxDays", errors, 1);
        ConfigurationRules.Integer(config, "History:MaxMonths", errors, 1);
        ConfigurationRules.Duration(config, "Vee:MinGap", errors, TimeSpan.FromMinutes(1));
        ConfigurationRules.Integer(config, "Vee:HeldKept", errors, 1);
        ConfigurationRules.Integer(config, "Vee:DecidedKept", errors, 1);
        ConfigurationRules.Duration(config, "Vee:MaxGap", errors, TimeSpan.FromMinutes(1));
        if (TimeSpan.TryParse(config["Vee:MinGap"] ?? "02:00:00", System.Globalization.CultureInfo.InvariantCulture, out var minGap)
            && TimeSpan.TryParse(config["Vee:MaxGap"] ?? "3.00:00:00", System.Globalization.CultureInfo.InvariantCulture, out var maxGap) && maxGap < minGap)
        {
            errors.Add($"Vee:MaxGap ({maxGap}) is shorter than Vee:MinGap ({minGap}): no gap could be estimated.");
        }

        errors.AddRange(ScenariosConfiguration.Validate(config));
        return errors;
    }
}
