namespace CitySense.Ingest.Settings;

public enum MqttMode
{
    /// <summary>MQTTnet.Server runs inside the silo process; devices connect to the silo.</summary>
    Embedded,
    /// <summary>The silo subscribes to an external broker (mosquitto, EMQX, ...) with QoS 1 and a persistent session.</summary>
    External,
}
