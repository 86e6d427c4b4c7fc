namespace CitySense.Ingest.Settings;

/// <summary>The MQTT edge. Bound from configuration section "Mqtt".</summary>
public sealed class MqttOptions
{
    public const string Section = "Mqtt";

    public MqttMode Mode { get; set; } = MqttMode.Embedded;

    /// <summary>External mode: the broker's host name or address.</summary>
    public string? Host { get; set; }

    /// <summary>Embedded mode: the port the broker listens on; External mode: the broker's port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Embedded mode: the address the broker binds to. Loopback by default; 0.0.0.0 to accept devices from the network.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>External mode: the fixed client id that names the persistent session.</summary>
    public string ClientId { get; set; } = "citysense-ingest";

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>External mode: what the silo subscribes to.</summary>
    public string TopicFilter { get; set; } = "city/#";

    /// <summary>
    /// External mode: every silo joins this MQTT 5 shared subscription ($share/{group}/{filter}), so the broker spreads
    /// telemetry over the silos and adding a silo adds ingest capacity. Empty: a plain subscription (each silo gets all).
    /// Each silo needs its own Mqtt:ClientId. Off by default (one silo): mosquitto 2.0.11 does not restore shared
    /// subscriptions from its persistence, so after a broker restart messages published before the silos subscribe
    /// again are lost (measured by BrokerRestartTests); a plain subscription in a persistent session loses nothing.
    /// </summary>
    public string? SharedGroup { get; set; }

    /// <summary>
    /// External mode: MQTT connections this silo subscribes with. More than one splits the receive loop (MQTT parsing
    /// and decoding) over threads; the connections then share one subscription — Mqtt:SharedGroup, or a group named
    /// after Mqtt:ClientId — and are named {ClientId}, {ClientId}-2, ... (each its own persistent session).
    /// </summary>
    public int Connections { get; set; } = 1;

    /// <summary>External mode: unacknowledged QoS 1 messages the broker may send at once (MQTT 5 Receive Maximum).</summary>
    public int ReceiveMaximum { get; set; } = 2000;

    /// <summary>External mode: how long the broker keeps the session (and queues QoS 1 messages) while the silo is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Embedded mode: the device credentials file (JSON lines, see docs/security.md). When set, every client must
    /// authenticate and is held to its topic scope; when empty, the broker accepts anyone (the loopback demo default).
    /// </summary>
    public string? CredentialsFile { get; set; }

    /// <summary>Embedded mode: the optional TLS endpoint.</summary>
    public MqttTlsOptions Tls { get; set; } = new();
}
