using CitySense.Contracts.Telemetry;

namespace CitySense.Api.Ngsi;

/// <summary>
/// The entity id scheme: urn:ngsi-ld:{Type}:{CitySense ids, joined by ':'}. CitySense ids follow [A-Za-z0-9_.-], so ':'
/// never occurs inside one and the parts parse back unambiguously.
/// </summary>
public static class NgsiIds
{
    private const string Prefix = "urn:ngsi-ld:";

    public static string Device(string device) => Of(NgsiTypes.Device, device);

    /// <summary>A meter's observation: WaterConsumptionObserved for water, SmartMeteringObservation for heat and gas.</summary>
    public static string Meter(string kind, string device) => Of(MeterType(kind), device);

    public static string Measurement(string device, string metric) => Of(NgsiTypes.DeviceMeasurement, device, metric);

    public static string Community(string district, string community) => Of(NgsiTypes.Community, district, community);

    public static string District(string district) => Of(NgsiTypes.District, district);

    public static string City() => Of(NgsiTypes.City, AreaKeys.City);

    /// <summary>An alarm's id is "{device}/{type}/{startMs}"; its '/' become ':'.</summary>
    public static string Alert(string alarmId) => Of(NgsiTypes.Alert, alarmId.Replace('/', ':'));

    /// <summary>The data quality of an area: urn:ngsi-ld:DataQualityAssessment:{Community|District|City}:{area ids}.</summary>
    public static string Quality(string areaId) =>
        areaId.StartsWith(Prefix, StringComparison.Ordinal) ? Prefix + NgsiTypes.DataQualityAssessment + ":" + areaId[Prefix.Length..] : throw new ArgumentException("Not an NGSI-LD id.", nameof(areaId));

    /// <summary>The entity type a meter of this kind is served as.</summary>
    public static string MeterType(string kind) =>
        kind == Kinds.Water ? NgsiTypes.WaterConsumptionObserved : NgsiTypes.SmartMeteringObservation;

    /// <summary>Splits an id of this scheme into its type and CitySense ids; false for anything else (ids checked by the id rule).</summary>
    public static bool TryParse(string? id, out string type, out string[] parts)
    {
        type = string.Empty;
        parts = [];
        if (id is null || !id.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var segments = id[Prefix.Length..].Split(':');
        if (segments.Length < 2 || !NgsiTypes.All.Contains(segments[0]))
        {
            return false;
        }

        var rest = segments[1..];
        var expected = segments[0] switch
        {
            NgsiTypes.Community or NgsiTypes.DeviceMeasurement => 2,
            NgsiTypes.Alert => 3,
            NgsiTypes.DataQualityAssessment => rest.Length > 0 && rest[0] == NgsiTypes.Community ? 3 : 2,
            _ => 1,
        };
        if (rest.Length != expected)
        {
            return false;
        }

        var idParts = segments[0] == NgsiTypes.DataQualityAssessment ? rest[1..] : rest;
        if (segments[0] == NgsiTypes.DataQualityAssessment && rest[0] is not (NgsiTypes.Community or NgsiTypes.District or NgsiTypes.City))
        {
            return false;
        }

        foreach (var part in idParts)
        {
            if (!Ids.IsValid(part))
            {
                return false;
            }
        }

        type = segments[0];
        parts = rest;
        return true;
    }

    private static string Of(string type, params string[] parts) => Prefix + type + ":" + string.Join(':', parts);
}
