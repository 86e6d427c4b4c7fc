namespace CitySense.Contracts.Telemetry;

/// <summary>What the silo itself publishes on its embedded broker (the live republish of indicators and alarms).</summary>
public static class SiloPublications
{
    /// <summary>The sender id of messages the silo injects into its embedded broker.</summary>
    public const string SenderClientId = "citysense-live";

    /// <summary>
    /// A message the silo injected itself: not subject to device access rules or rate limits. A network client cannot
    /// pass for it where credentials are on (its client id must be a user of the credentials file). Never telemetry:
    /// the silo does not publish readings to itself.
    /// </summary>
    public static bool IsOwn(string? clientId, string topic) =>
        clientId == SenderClientId && !TelemetryTopics.IsTelemetry(topic);
}
