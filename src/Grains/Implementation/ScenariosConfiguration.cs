using System.Reflection;
using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Scenarios.Settings;
using Microsoft.Extensions.Configuration;

namespace CitySense.Grains;

/// <summary>The Scenarios section's keys (docs/scenarios.md), checked before anything starts.</summary>
public static class ScenariosConfiguration
{
    public static IReadOnlyList<string> Validate(IConfiguration config)
    {
        var errors = new List<string>();
        var section = config.GetSection(ScenarioOptions.Section);
        if (!section.Exists())
        {
            return errors;
        }

        var known = typeof(ScenarioOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToArray();
        foreach (var child in section.GetChildren().Where(c => !known.Contains(c.Key, StringComparer.OrdinalIgnoreCase)))
        {
            // A misspelt scenario would otherwise run on its defaults without a word.
            errors.Add($"Scenarios:{child.Key} is not a scenario's setting: use one of {string.Join(", ", known)}.");
        }

        ScenarioOptions options;
        try
        {
            options = section.Get<ScenarioOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new ScenarioOptions();
        }
        catch (InvalidOperationException ex)
        {
            errors.Add($"Scenarios: {ex.Message}");
            return errors;
        }

        if (options.MaxRows < 1)
        {
            errors.Add($"Scenarios:MaxRows is {options.MaxRows}: use a whole number of at least 1.");
        }

        foreach (var property in known.Select(typeof(ScenarioOptions).GetProperty))
        {
            switch (property!.GetValue(options))
            {
                case BandSettings band:
                    Band(property.Name, band, errors);
                    break;
                case AlarmWatchSettings watch when watch.Type.Length == 0 || watch.WarningAt < 1 || watch.AlarmAt < watch.WarningAt:
                    errors.Add($"Scenarios:{property.Name}: Type must name an alarm type and 1 ≤ WarningAt ≤ AlarmAt (now '{watch.Type}', {watch.WarningAt}, {watch.AlarmAt}).");
                    break;
                case CountSettings count when count.WarningAt < 1 || count.AlarmAt < count.WarningAt:
                    errors.Add($"Scenarios:{property.Name}: use 1 ≤ WarningAt ≤ AlarmAt (now {count.WarningAt}, {count.AlarmAt}).");
                    break;
                case ShareSettings share when share.Warning is < 0 or > 100 || share.Alarm is < 0 or > 100 || share.MinCount < 0:
                    errors.Add($"Scenarios:{property.Name}: Warning and Alarm are percentages from 0 to 100 and MinCount is at least 0 (now {share.Warning}, {share.Alarm}, {share.MinCount}).");
                    break;
                case NightFlowSettings night when night.NightStart < TimeSpan.Zero || night.NightEnd > TimeSpan.FromDays(1) || night.NightEnd <= night.NightStart || night.AlarmAbove < night.WarningAbove:
                    errors.Add($"Scenarios:{property.Name}: use 00:00:00 ≤ NightStart < NightEnd ≤ 24:00:00 (one local night) and WarningAbove ≤ AlarmAbove.");
                    break;
                case HeatCoverageSettings heat when heat.AlarmBelow > heat.WarningBelow || heat.WarningBelow is < 0 or > 100:
                    errors.Add($"Scenarios:{property.Name}: use 0 ≤ AlarmBelow ≤ WarningBelow ≤ 100 (percent of heat communities).");
                    break;
                case TopConsumersSettings top when top.Top < 1 || top.Kind.Length == 0:
                    errors.Add($"Scenarios:{property.Name}: Top is at least 1 and Kind names a kind (now {top.Top}, '{top.Kind}').");
                    break;
                case SameHourSettings hour when hour.Days is < 1 or > 28 || hour.AlarmRatio < hour.WarningRatio || hour.WarningRatio <= 0 || hour.MinReference < 0:
                    errors.Add($"Scenarios:{property.Name}: use Days from 1 to 28, 0 < WarningRatio ≤ AlarmRatio and MinReference ≥ 0.");
                    break;
            }
        }

        return errors;
    }

    private static void Band(string name, BandSettings band, List<string> errors)
    {
        if (band.Kind.Length == 0 || band.Metric.Length == 0)
        {
            errors.Add($"Scenarios:{name}: Kind and Metric must name a kind (or *) and a metric.");
        }

        // Bounds nest: an alarm lies beyond its warning, and the band between the floors and the ceilings is not empty.
        if (band.AlarmBelow > band.WarningBelow || band.WarningAbove > band.AlarmAbove || band.WarningBelow > band.WarningAbove)
        {
            errors.Add($"Scenarios:{name}: use AlarmBelow ≤ WarningBelow ≤ WarningAbove ≤ AlarmAbove (each may be left out).");
        }
    }
}
