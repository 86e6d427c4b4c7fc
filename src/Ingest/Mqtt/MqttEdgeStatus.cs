namespace CitySense.Ingest.Mqtt;

/// <summary>What /health shows of the MQTT edge.</summary>
public sealed class MqttEdgeStatus
{
    public MqttMode Mode { get; set; }
    public string Endpoint { get; set; } = string.Empty;
    public bool Connected { get; set; }
    public int Connections { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? Since { get; set; }
}
