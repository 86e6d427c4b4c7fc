namespace CitySense.Contracts.Telemetry;

public static class TelemetryTopics
{
    /// <summary>Topics under "city/" are telemetry (valid or not); anything else on the broker is none of ingest's business.</summary>
    public static bool IsTelemetry(string topic) => topic.StartsWith("city/", StringComparison.Ordinal);
}
