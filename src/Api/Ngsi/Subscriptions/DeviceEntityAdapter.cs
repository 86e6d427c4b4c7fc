using System.Text.Json.Nodes;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;

namespace CitySense.Api.Ngsi.Subscriptions;

/// <summary>
/// The NGSI-LD entities one applied reading changes, rendered by the entity mapping (<see cref="NgsiEntities"/>, Smart
/// Data Models names): the meter (WaterConsumptionObserved / SmartMeteringObservation) or, for community devices, one
/// DeviceMeasurement per metric; and the Device. Ids and types come first, so the matcher renders only what a
/// subscription selects. What a reading alone cannot tell is left out rather than guessed (docs/sharing.md): the
/// device's other active alarms (alarmInProgress, alarmFlowPersistence), its reading counts and whether it is online.
/// </summary>
public static class DeviceEntityAdapter
{
    private static readonly string[] NotKnownFromOneReading = ["alarmInProgress", "alarmFlowPersistence", "readingsAccepted", "readingsRejected"];

    /// <summary>The entities the update changed: id, type, and how to render it.</summary>
    public static IEnumerable<(string Id, string Type, Func<string> Render)> Changed(string district, string community, DeviceUpdate update)
    {
        var snapshot = SnapshotOf(district, community, update);
        if (Kinds.RegisterMetric(update.Kind) is not null)
        {
            yield return (NgsiIds.Meter(update.Kind, update.Device), NgsiIds.MeterType(update.Kind), () => Json(NgsiEntities.Meter(snapshot, [])!));
        }
        else
        {
            foreach (var metric in update.Metrics)
            {
                var name = metric.Name;
                yield return (NgsiIds.Measurement(update.Device, name), NgsiTypes.DeviceMeasurement,
                    () => Json(NgsiEntities.Measurements(snapshot).First(m => m["id"]!.GetValue<string>() == NgsiIds.Measurement(update.Device, name))));
            }
        }

        yield return (NgsiIds.Device(update.Device), NgsiTypes.Device, () => Json(NgsiEntities.Device(snapshot, online: null)));
    }

    /// <summary>The device's snapshot right after the reading: what the entity mapping renders.</summary>
    public static DeviceSnapshot SnapshotOf(string district, string community, DeviceUpdate update) =>
        new(update.Device, district, community, update.Kind, update.FirstSeenMs, update.TimestampMs, null, 0, 0,
            update.Register is { } register ? (double)register : null, update.Cumulative, update.Metrics);

    private static string Json(JsonObject entity)
    {
        foreach (var name in NotKnownFromOneReading)
        {
            entity.Remove(name);
        }

        return entity.ToJsonString();
    }
}
