namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// One tumbling window of one kind in one area. An area keeps <c>Indicators:WindowsKept</c> (60) of them per kind, so at
/// a city's size they are a silo's second largest memory after its devices (docs/operations.md §2): the metrics and
/// the lag histogram are held inline, and metric names belong to the kind (<see cref="MetricNames"/>).
/// </summary>
public sealed class WindowAggregate(long startMs, MetricNames names)
{
    private WindowMetrics _metrics = new(names);
    private LagHistogram _lags;

    /// <summary>A window with names of its own (tests, and windows outside a kind).</summary>
    public WindowAggregate(long startMs)
        : this(startMs, new MetricNames())
    {
    }

    public long StartMs { get; private set; } = startMs;

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

    /// <summary>The window's metrics, by reference: <c>window.Metrics.GetOrAdd(name).Add(...)</c> changes the window.</summary>
    public ref WindowMetrics Metrics => ref _metrics;

    /// <summary>Event → ingest lags of the window's accepted readings, by reference like <see cref="Metrics"/>.</summary>
    public ref LagHistogram Lags => ref _lags;

    /// <summary>Changed since it was last written.</summary>
    public bool Dirty { get; set; }

    /// <summary>
    /// Starts this window, written and evicted, over as the empty window at <paramref name="startMs"/> of the same kind.
    /// Why: an area evicts a window a kind every window length and opens one; each had lived the kept windows' span,
    /// long enough to be promoted, and died in gen2 (24 MB in 1.5 minutes at a million devices, benchmarks/RESULTS.md §61).
    /// </summary>
    public void Reuse(long startMs)
    {
        StartMs = startMs;
        Consumption = 0;
        Accepted = 0;
        Rejected = 0;
        Duplicates = 0;
        Late = 0;
        DevicesReporting = 0;
        ConsumptionTotal = 0;
        FlowSum = null;
        DevicesTotal = 0;
        Dirty = false;
        _metrics.Clear();
        _lags = default;
    }
}
