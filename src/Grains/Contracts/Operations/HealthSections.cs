namespace CitySense.Contracts.Operations;

/// <summary>
/// How the parts' health checks feed GET /health: each part registers checks named after its section (mqtt, ingest,
/// output, live) and puts the section's figures in the result's data under <see cref="Report"/>; the endpoint writes
/// every check's report under its name without knowing any part's types.
/// </summary>
public static class HealthSections
{
    /// <summary>The key of a check's data that holds the object shown under the check's name.</summary>
    public const string Report = "report";

    public const string Mqtt = "mqtt";
    public const string Ingest = "ingest";
    public const string Output = "output";
    public const string Live = "live";
}
