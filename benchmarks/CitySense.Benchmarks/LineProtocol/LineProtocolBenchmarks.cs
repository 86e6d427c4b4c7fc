using BenchmarkDotNet.Attributes;
using CitySense.Benchmarks.Infrastructure;
using CitySense.Contracts.Indicators;
using CitySense.Grains.Domain.Areas;
using CitySense.Output.LineProtocol;

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

    /// <summary>IngestWorker.WriteRaw's shape: citysense_device with district, community, kind and device tags.</summary>
    [Benchmark(OperationsPerInvoke = LinePoints.PointsPerInvoke)]
    public int RawDevicePoints()
    {
        _lines.Clear();
        foreach (var point in _raw)
        {
            _lines.Measurement("citysense_device")
                .Tag("district", point.District)
                .Tag("community", point.Community)
                .Tag("kind", point.Kind)
                .Tag("device", point.Device);
            foreach (var metric in point.Metrics)
            {
                _lines.Field(metric.Name, metric.Value);
            }

            _lines.End(point.TimestampMs);
        }

        return _lines.Lines;
    }

    /// <summary>
    /// AreaAggregate.WriteChangedWindows' shape, field names prepared once: the cost of LineBuilder alone for a
    /// community window point (counts, register consumption in decimal, flow sum, 5 statistics per metric).
    /// </summary>
    [Benchmark(OperationsPerInvoke = LinePoints.PointsPerInvoke)]
    public int CommunityWindowPoints()
    {
        _lines.Clear();
        foreach (var point in _windows)
        {
            _lines.Measurement("citysense_community")
                .Tag("district", point.District)
                .Tag("community", point.Community)
                .Tag("kind", point.Kind)
                .Field("accepted", point.Accepted)
                .Field("rejected", point.Rejected)
                .Field("devices_reporting", point.DevicesReporting)
                .Field("devices_total", point.DevicesTotal);
            if (point.HasRegister)
            {
                _lines.Field("consumption", point.Consumption).Field("consumption_total", point.ConsumptionTotal);
            }

            if (point.FlowSum is { } flowSum)
            {
                _lines.Field("flow_sum", flowSum);
            }

            foreach (var metric in point.Metrics)
            {
                _lines.Field(metric.CountField, metric.Count)
                    .Field(metric.MinField, metric.Min)
                    .Field(metric.MaxField, metric.Max)
                    .Field(metric.MeanField, metric.Mean)
                    .Field(metric.LatestField, metric.Latest);
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
        _area.WriteChangedWindows(_lines, "citysense_community", _areaTags);
        return _lines.Lines;
    }

    /// <summary>Bytes the last invocation wrote (for `sizes`).</summary>
    public int WrittenBytes => _lines.Written.Length;

    [GlobalCleanup]
    public void Cleanup() => _lines.Dispose();
}
