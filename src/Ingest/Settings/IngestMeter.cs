namespace CitySense.Ingest.Settings;

/// <summary>The edge's and the pipeline's meter (messages, readings, rejections, drops, disconnects), scraped at /metrics.</summary>
public static class IngestMeter
{
    public const string Name = "CitySense.Ingest";
}
