namespace CitySense.Output.Writing;

/// <summary>Where indicators go. Bound from configuration section "Influx".</summary>
public sealed class InfluxOptions
{
    public const string Section = "Influx";

    /// <summary>InfluxDB v2 write API base URL (InfluxDB 2.x/3.x, 1.8+, VictoriaMetrics). Empty: line protocol goes to files under <see cref="DataPath"/>.</summary>
    public string? Url { get; set; }

    public string? Token { get; set; }

    public string Org { get; set; } = "citysense";

    public string Bucket { get; set; } = "citysense";

    /// <summary>Write one point per accepted reading (measurement citysense_device). Off by default: one series per device and metric.</summary>
    public bool RawReadings { get; set; }

    /// <summary>Upper bound of one write request's body (chosen by measurement: docs/performance.md, target 5).</summary>
    public int BatchBytes { get; set; } = 1024 * 1024;

    /// <summary>Compress write requests (Content-Encoding: gzip). Off by default, by measurement (docs/performance.md, target 5).</summary>
    public bool Gzip { get; set; }

    /// <summary>Line protocol held in memory while the server is slow or down; past it the oldest lines are dropped and counted.</summary>
    public long MaxBufferBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Past <see cref="MaxBufferBytes"/> in memory, the oldest lines go to disk here (default {DataPath}/spill), are
    /// written first when the server is back, and survive a restart.
    /// </summary>
    public string? SpillPath { get; set; }

    /// <summary>Disk cap of the spill; past it the oldest spilled lines are dropped and counted. 0 = no spill (drop at once).</summary>
    public long MaxSpillBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Folder for line-protocol files when <see cref="Url"/> is empty.</summary>
    public string DataPath { get; set; } = "data";

    /// <summary>A line-protocol file is closed and a new one started past this size.</summary>
    public long FileRotateBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Line-protocol files kept; older ones are deleted.</summary>
    public int FilesKept { get; set; } = 48;

    /// <summary>Longest wait between retries while the server is unreachable.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long shutdown waits for queued lines to be written.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public bool UsesServer => !string.IsNullOrWhiteSpace(Url);
}
