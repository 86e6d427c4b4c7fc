using BenchmarkDotNet.Attributes;
using CitySense.Benchmarks.Infrastructure;
using CitySense.Contracts.Indicators;
using CitySense.Grains.Domain.Areas;
using CitySense.Output.LineProtocol;
using CitySense.Output.Schema;

namespace CitySense.Benchmarks.LineProtocol;

/// <summary>
/// Line protocol, one operation per line (point): Op/s is lines/s and Allocated is bytes per line. The builder is
/// reused and cleared per invocation, as the ingest worker reuses its raw-line builder; `sizes` prints the bytes per
/// line these points produce.
/// </summary>
[MemoryDiagnoser]
public class LineProtocolBenchmarks
{
    private readonly LineBuilder _lines = new(256 * 1024);
    private RawPoint[] _raw = [];
    private WindowPoint[] _windows = [];
    private AreaAggregate _area = null!;
    private KeyValuePair<string, string>[] _areaTags = [];

    [GlobalSetup]
    public void Setup()
    {
        var city = MessageSets.City();
        _raw = LinePoints.Raw(city, LinePoints.PointsPerInvoke);
        _windows = LinePoints.Windows(city, LinePoints.PointsPerInvoke);
        (_area, _areaTags) = LinePoints.CommunityAggregate(city, new IndicatorOptions());
        const int expected = LinePoints.AreaWindowsPerKind * LinePoints.AreaKinds;
        if (AreaAggregateWriteChangedWindows() != expected)
        {
            throw new InvalidOperationException($"The community aggregate wrote {_lines.Lines} lines, {expected} expected.");
        }
    }

    /// <summary>Raw device points as the ingest worker writes them (InfluxSchema.DeviceReading).</summary>
    [Benchmark(OperationsPerInvoke = LinePoints.PointsPerInvoke)]
    public int RawDevicePoints()
    {
        _lines.Clear();
        foreach (var point in _raw)
        {
            InfluxSchema.DeviceReading(_lines, point.Address, point.Metrics, point.TimestampMs);
        }

        return _lines.Lines;
    }

    /// <summary>
    /// Community window points through the schema's writers (InfluxSchema.Window and its fields) from prepared values:
    /// the cost of writing a point without AreaAggregate's walk over its windows (counts, register consumption in
    /// decimal, flow sum, 5 statistics per metric).
    /// </summary>
    [Benchmark(OperationsPerInvoke = LinePoints.PointsPerInvoke)]
    public int CommunityWindowPoints()
    {
        _lines.Clear();
        foreach (var point in _windows)
        {
            var tags = point.Tags;
            InfluxSchema.Window(_lines, InfluxSchema.Community, tags, point.Kind,
                point.Accepted, point.Rejected, point.DevicesReporting, point.DevicesTotal, point.Duplicates, point.Late);
            if (point.HasRegister)
            {
                InfluxSchema.WindowConsumption(_lines, point.Consumption, point.ConsumptionTotal);
            }

            if (point.FlowSum is { } flowSum)
            {
                InfluxSchema.WindowFlowSum(_lines, flowSum);
            }

            foreach (var metric in point.Metrics)
            {
                InfluxSchema.WindowMetric(_lines, metric.Name, metric.Count, metric.Min, metric.Max, metric.Mean, metric.Latest);
            }

            _lines.End(point.StartMs);
        }

        return _lines.Lines;
    }

    /// <summary>
    /// The production path that community, district and city grains run on their flush timer: every kind's windows
    /// marked changed, then AreaAggregate.WriteChangedWindows. One operation per line written.
    /// </summary>
    [Benchmark(OperationsPerInvoke = LinePoints.AreaWindowsPerKind * LinePoints.AreaKinds)]
    public int AreaAggregateWriteChangedWindows()
    {
        foreach (var kind in _area.Kinds)
        {
            foreach (var window in kind.Windows)
            {
                window.Dirty = true;
            }
        }

        _lines.Clear();
        _area.WriteChangedWindows(_lines, InfluxSchema.Community, _areaTags);
        return _lines.Lines;
    }

    /// <summary>Bytes the last invocation wrote (for `sizes`).</summary>
    public int WrittenBytes => _lines.Written.Length;

    [GlobalCleanup]
    public void Cleanup() => _lines.Dispose();
}
