using System.Diagnostics.Metrics;
using CitySense.Ingest.Settings;

namespace CitySense.Ingest.Mqtt;

/// <summary>What /health shows of the MQTT edge; its disconnects are a metric too, for an alert on any increase.</summary>
public sealed class MqttEdgeStatus
{
    public MqttEdgeStatus(IMeterFactory meters)
    {
        var meter = meters.Create(IngestMeter.Name);
        meter.CreateObservableCounter("citysense.mqtt.disconnects", () => Disconnects, "{disconnect}",
            "External mode: connections to the broker lost or replaced (0 in a healthy run)");
    }

    public MqttMode Mode { get; set; }
    public string Endpoint { get; set; } = string.Empty;
    public bool Connected { get; set; }
    private int _connections;

    /// <summary>Embedded mode: clients connected now.</summary>
    public int Connections => Volatile.Read(ref _connections);
    public string? LastError { get; set; }
    public DateTimeOffset? Since { get; set; }
    private long _disconnects;

    /// <summary>External mode: times a connection to the broker was lost or closed by the silo (not at shutdown).</summary>
    public long Disconnects => Interlocked.Read(ref _disconnects);

    /// <summary>External mode: why the last connection was lost, and when.</summary>
    public string? LastDisconnect { get; set; }

    internal void CountDisconnect(string why, DateTimeOffset at)
    {
        Interlocked.Increment(ref _disconnects);
        LastDisconnect = $"{at:O} {why}";
    }

    private long _keptDelivered;
    private long _keptNotDelivered;

    /// <summary>Embedded mode: kept topics' messages (community figures) sent to new subscribers as retained ones.</summary>
    public long KeptDelivered => Interlocked.Read(ref _keptDelivered);

    /// <summary>Embedded mode: deliveries of kept topics that stopped before their end (client gone, or stalled).</summary>
    public long KeptNotDelivered => Interlocked.Read(ref _keptNotDelivered);

    internal void CountKeptDelivered() => Interlocked.Increment(ref _keptDelivered);

    internal void CountKeptNotDelivered() => Interlocked.Increment(ref _keptNotDelivered);

    // Connect and disconnect events of different clients run concurrently.
    internal void CountConnection(int delta) => Interlocked.Add(ref _connections, delta);
}
