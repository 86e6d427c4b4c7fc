namespace CitySense.Grains.Domain.Areas;

/// <summary>One tumbling window of one kind in one area.</summary>
public sealed class WindowAggregate(long startMs)
{
    public long StartMs { get; } = startMs;

    /// <summary>Sum of register deltas of readings whose event time falls in the window (m³ or kWh).</summary>
    public decimal Consumption { get; set; }

    public long Accepted { get; set; }

    /// <summary>Rejected readings that arrived (ingest time) during the window.</summary>
    public long Rejected { get; set; }

    /// <summary>Duplicate readings that arrived (ingest time) during the window.</summary>
    public long Duplicates { get; set; }

    /// <summary>Late readings (beyond the allowed lateness) that arrived during the window.</summary>
    public long Late { get; set; }

    /// <summary>Distinct devices with at least one accepted reading in the window.</summary>
    public long DevicesReporting { get; set; }

    /// <summary>The area's consumption since start, as of the last reading folded into this window.</summary>
    public decimal ConsumptionTotal { get; set; }

    /// <summary>The area's sum of latest flows, as of the last reading folded into this window.</summary>
    public double? FlowSum { get; set; }

    /// <summary>The area's devices reporting since start, as of the last reading folded into this window.</summary>
    public long DevicesTotal { get; set; }

    public MetricSet Metrics { get; } = new();

    /// <summary>Event → ingest lags of the window's accepted readings.</summary>
    public LagHistogram Lags { get; } = new();

    /// <summary>Changed since it was last written.</summary>
    public bool Dirty { get; set; }
}
