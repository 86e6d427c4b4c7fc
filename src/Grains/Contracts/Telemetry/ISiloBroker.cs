namespace CitySense.Contracts.Telemetry;

/// <summary>
/// The MQTT broker the silo's edge uses, for other parts that publish on it (the live republish of indicators and
/// alarms) without knowing how the edge is built.
/// </summary>
public interface ISiloBroker
{
    /// <summary>True where the broker runs inside this silo: messages are injected, no connection of one's own.</summary>
    bool IsEmbedded { get; }

    /// <summary>External mode: the broker to connect to; null in embedded mode.</summary>
    BrokerEndpoint? External { get; }

    /// <summary>
    /// Embedded mode: publishes a message as the silo's own (<see cref="SiloPublications.SenderClientId"/>); false when
    /// the broker is not running (starting or stopped), so the caller counts it dropped.
    /// </summary>
    Task<bool> InjectAsync(string topic, byte[] payload, bool atLeastOnce, bool retain, string contentType, CancellationToken cancellationToken);
}
