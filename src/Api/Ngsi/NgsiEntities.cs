using System.Text.Json;
using System.Text.Json.Nodes;
using CitySense.Contracts.Alarms;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;
using static CitySense.Api.Ngsi.NgsiAttributes;

namespace CitySense.Api.Ngsi;

/// <summary>
/// CitySense's state as NGSI-LD entities (normalized form, without @context: the caller adds it inline or as a Link).
/// Pure: the same snapshots the REST API answers with, so every figure equals the REST one (docs/sharing.md has the table).
/// </summary>
public static class NgsiEntities
{
    /// <summary>Every device as Device: what it measures, its battery, online/offline, when it last reported, its community.</summary>
    /// <param name="online">From the community's roster; null when not known (the attribute is left out).</param>
    public static JsonObject Device(DeviceSnapshot snapshot, bool? online)
    {
        var entity = Device(snapshot.Device, snapshot.District, snapshot.Community, snapshot.Kind, online, snapshot.Latest.Select(m => m.Name));
        entity["dateLastValueReported"] = DateTimeProperty(snapshot.LastTimestampMs);
        if (snapshot.Latest.FirstOrDefault(m => m.Name == "battery") is { Name: not null } battery)
        {
            // Smart Data Models' batteryLevel is a fraction (0–1); the telemetry contract sends percent.
            entity["batteryLevel"] = Property(battery.Value / 100.0, snapshot.LastTimestampMs);
        }

        entity["readingsAccepted"] = Property(snapshot.Accepted);
        entity["readingsRejected"] = Property(snapshot.Rejected);
        return entity;
    }

    /// <summary>A device registered (provisioned) that has not reported yet: no values, only where it is and what it measures.</summary>
    public static JsonObject Device(string device, string district, string community, string kind, bool? online) =>
        Device(device, district, community, kind, online, []);

    /// <summary>
    /// A meter's consumption: WaterConsumptionObserved (waterConsumption) for water, SmartMeteringObservation
    /// (totalConsumption) for heat and gas; null for community devices. Consumption is since the device was first seen.
    /// </summary>
    /// <param name="activeAlarms">The device's active alarms (others are ignored).</param>
    public static JsonObject? Meter(DeviceSnapshot snapshot, IEnumerable<AlarmEvent> activeAlarms)
    {
        if (NgsiUnits.Register(snapshot.Kind) is not { } unit)
        {
            return null;
        }

        var at = snapshot.LastTimestampMs;
        var entity = new JsonObject
        {
            ["id"] = NgsiIds.Meter(snapshot.Kind, snapshot.Device),
            ["type"] = NgsiIds.MeterType(snapshot.Kind),
        };
        var consumption = Property(snapshot.Consumption ?? 0m, at, unit);
        if (snapshot.Kind == Kinds.Water)
        {
            entity["waterConsumption"] = consumption;
        }
        else
        {
            entity["totalConsumption"] = consumption;
            entity["meterType"] = Property(snapshot.Kind == Kinds.Heat ? "Heat" : "Gas");
        }

        if (snapshot.Register is { } register)
        {
            entity["registerValue"] = Property(register, at, unit);
        }

        foreach (var metric in snapshot.Latest)
        {
            if (MeterMetrics.Contains(metric.Name))
            {
                entity[metric.Name] = Property(metric.Value, at, NgsiUnits.Of(snapshot.Kind, metric.Name));
            }
        }

        var alarms = activeAlarms.Where(a => a.Device == snapshot.Device && a.State != AlarmState.Cleared).ToArray();
        entity["alarmInProgress"] = Property(alarms.Length > 0 ? 1 : 0, at);
        if (snapshot.Kind == Kinds.Water)
        {
            // Smart Data Models' wording when nothing is wrong; otherwise the alarm's own sentence.
            entity["alarmFlowPersistence"] = Property(alarms.FirstOrDefault(a => a.Type == "leak")?.Message ?? "Nothing to report", at);
        }

        entity["refDevice"] = Relationship(NgsiIds.Device(snapshot.Device));
        return entity;
    }

    /// <summary>A community device's latest value of each metric, one DeviceMeasurement per metric; none for meters.</summary>
    public static IReadOnlyList<JsonObject> Measurements(DeviceSnapshot snapshot)
    {
        if (Kinds.RegisterMetric(snapshot.Kind) is not null)
        {
            return [];
        }

        return snapshot.Latest
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .Select(m => new JsonObject
            {
                ["id"] = NgsiIds.Measurement(snapshot.Device, m.Name),
                ["type"] = NgsiTypes.DeviceMeasurement,
                ["numValue"] = Property(m.Value, snapshot.LastTimestampMs, NgsiUnits.Of(snapshot.Kind, m.Name)),
                ["controlledProperty"] = Property(m.Name),
                ["refDevice"] = Relationship(NgsiIds.Device(snapshot.Device)),
            })
            .ToArray();
    }

    /// <summary>The entity id of an area snapshot (community, district or city).</summary>
    public static string AreaId(AreaSnapshot area) => area.Level switch
    {
        "community" => NgsiIds.Community(area.Key[..area.Key.IndexOf('/', StringComparison.Ordinal)], area.Key[(area.Key.IndexOf('/', StringComparison.Ordinal) + 1)..]),
        "district" => NgsiIds.District(area.Key),
        _ => NgsiIds.City(),
    };

    /// <summary>
    /// A community, district or the city with its indicators: consumption and the sum of latest flows per metered kind,
    /// readings, devices and active alarms; related to the area above.
    /// </summary>
    public static JsonObject Area(AreaSnapshot area)
    {
        var entity = new JsonObject
        {
            ["id"] = AreaId(area),
            ["type"] = area.Level switch { "community" => NgsiTypes.Community, "district" => NgsiTypes.District, _ => NgsiTypes.City },
            ["name"] = Property(area.Level == "city" ? AreaKeys.City : area.Key[(area.Key.IndexOf('/', StringComparison.Ordinal) + 1)..]),
        };
        foreach (var kind in area.Kinds.OrderBy(k => k.Kind, StringComparer.Ordinal))
        {
            long? at = kind.Metrics.Length > 0 ? kind.Metrics.Max(m => m.LatestTimestampMs) : null;
            if (ConsumptionAttribute(kind.Kind) is { } name && kind.Consumption is { } consumption)
            {
                entity[name] = Property(consumption, at, NgsiUnits.Register(kind.Kind));
            }

            if (FlowSumAttribute(kind.Kind) is { } flowName && kind.FlowSum is { } flow)
            {
                entity[flowName] = Property(flow, at, NgsiUnits.CubicMetrePerHour);
            }
        }

        entity["readingsAccepted"] = Property(area.Kinds.Sum(k => k.Accepted));
        entity["readingsRejected"] = Property(area.Kinds.Sum(k => k.Rejected));
        entity["devicesRegistered"] = Property(area.Summary.Devices.Sum(d => d.Registered));
        entity["devicesOnline"] = Property(area.Summary.Devices.Sum(d => d.Online));
        entity["devicesOffline"] = Property(area.Summary.Devices.Sum(d => d.Offline));
        entity["activeAlarms"] = Property(area.Summary.Alarms.Sum(a => a.Active));
        switch (area.Level)
        {
            case "community":
                entity["refDistrict"] = Relationship(NgsiIds.District(area.Key[..area.Key.IndexOf('/', StringComparison.Ordinal)]));
                break;
            case "district":
                entity["refCity"] = Relationship(NgsiIds.City());
                break;
        }

        return entity;
    }

    /// <summary>The data quality of an area's newest window as DataQualityAssessment; null before its first window.</summary>
    public static JsonObject? Quality(AreaSnapshot area)
    {
        if (area.Quality.Length == 0)
        {
            return null;
        }

        var q = area.Quality[0];
        var areaId = AreaId(area);
        return new JsonObject
        {
            ["id"] = NgsiIds.Quality(areaId),
            ["type"] = NgsiTypes.DataQualityAssessment,
            ["completeness"] = Property(q.Completeness, q.StartMs),
            ["validity"] = Property(q.Validity, q.StartMs),
            ["timeliness"] = Property(q.Timeliness, q.StartMs),
            ["qualityScore"] = Property(q.Score, q.StartMs),
            ["dateCalculated"] = DateTimeProperty(q.StartMs),
            ["refArea"] = Relationship(areaId),
        };
    }

    /// <summary>
    /// An alarm as Alert: its latest step (raised, updated or cleared) and, when its community's workflow is known, where
    /// the operators have it: alarmCondition (activeUnacknowledged, activeAcknowledged, clearedUnacknowledged,
    /// clearedAcknowledged), acknowledgedBy and dateAcknowledged once acknowledged.
    /// </summary>
    public static JsonObject Alert(AlarmEvent alarm, AlarmStatus? status = null)
    {
        var entity = new JsonObject
        {
            ["id"] = NgsiIds.Alert(alarm.AlarmId),
            ["type"] = NgsiTypes.Alert,
            ["category"] = Property(AlertCategory(alarm.Type)),
            ["subCategory"] = Property(alarm.Type),
            ["severity"] = Property(alarm.Severity switch
            {
                AlarmSeverity.Critical => "critical",
                AlarmSeverity.Warning => "medium",
                _ => "informational",
            }),
            ["alarmState"] = Property(alarm.State.ToString().ToLowerInvariant()),
            ["description"] = Property(alarm.Message),
            ["dateIssued"] = DateTimeProperty(alarm.StartMs),
            ["validFrom"] = DateTimeProperty(alarm.StartMs),
        };
        if (alarm.EndMs is { } end)
        {
            entity["validTo"] = DateTimeProperty(end);
        }

        var unit = AlarmUnit(alarm);
        entity["measuredValue"] = Property(alarm.Value, alarm.EndMs ?? alarm.StartMs, unit);
        entity["peakValue"] = Property(alarm.Peak, null, unit);
        entity["alertSource"] = Relationship(NgsiIds.Device(alarm.Device));
        entity["refCommunity"] = Relationship(NgsiIds.Community(alarm.District, alarm.Community));
        if (status is not null)
        {
            entity["alarmCondition"] = Property(JsonNamingPolicy.CamelCase.ConvertName(status.Condition.ToString()));
            if (status.AcknowledgedAtMs is { } acknowledged)
            {
                entity["acknowledgedBy"] = Property(status.AcknowledgedBy);
                entity["dateAcknowledged"] = DateTimeProperty(acknowledged);
            }
        }

        return entity;
    }

    /// <summary>The area attribute of a metered kind's consumption; null for community devices.</summary>
    public static string? ConsumptionAttribute(string kind) => kind switch
    {
        Kinds.Water => "waterConsumption",
        Kinds.Heat => "heatConsumption",
        Kinds.Gas => "gasConsumption",
        _ => null,
    };

    /// <summary>The area attribute of a metered kind's sum of latest flows (m³/h); null for community devices.</summary>
    public static string? FlowSumAttribute(string kind) => kind switch
    {
        Kinds.Water => "waterFlowSum",
        Kinds.Heat => "heatFlowSum",
        Kinds.Gas => "gasFlowSum",
        _ => null,
    };

    /// <summary>The canonical metrics besides the register that a meter's entity carries (docs/telemetry.md, section 4).</summary>
    private static readonly HashSet<string> MeterMetrics = new(StringComparer.Ordinal) { "flow", "pressure", "power", "supplyTemp", "returnTemp", "deltaT" };

    private static JsonObject Device(string device, string district, string community, string kind, bool? online, IEnumerable<string> metrics)
    {
        var entity = new JsonObject
        {
            ["id"] = NgsiIds.Device(device),
            ["type"] = NgsiTypes.Device,
            ["name"] = Property(device),
            ["kind"] = Property(kind),
            ["controlledProperty"] = Property(new JsonArray(ControlledProperties(kind, metrics).Select(p => (JsonNode?)p).ToArray())),
        };
        if (online is { } isOnline)
        {
            entity["deviceState"] = Property(isOnline ? "online" : "offline");
        }

        entity["refCommunity"] = Relationship(NgsiIds.Community(district, community));
        return entity;
    }

    /// <summary>Smart Data Models' controlledProperty words for a meter's kind; a community device's own metric names.</summary>
    private static string[] ControlledProperties(string kind, IEnumerable<string> metrics) => kind switch
    {
        Kinds.Water => ["waterConsumption", "flow", "pressure"],
        Kinds.Heat => ["energy", "power", "flow", "temperature"],
        Kinds.Gas => ["gasConsumption", "flow", "pressure"],
        _ => metrics.Where(m => m != "battery").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
    };

    private static string AlertCategory(string type) => type switch
    {
        "smoke" or "gas-leak" or "manhole-open" => "security",
        "offline" => "technical",
        _ => "environment",
    };

    private static string? AlarmUnit(AlarmEvent alarm) => alarm.Type switch
    {
        "leak" or "burst" => NgsiUnits.CubicMetrePerHour,
        "pressure-low" or "pressure-high" => NgsiUnits.Of(alarm.Kind, "pressure"),
        "low-delta-t" or "high-return-temp" => NgsiUnits.DegreeCelsius,
        "gas-leak" => NgsiUnits.Percent,
        _ => null,
    };
}
