using BenchmarkDotNet.Attributes;
using CitySense.Benchmarks.Infrastructure;
using CitySense.Benchmarks.LineProtocol;
using CitySense.Contracts.Indicators;
using CitySense.Grains.Domain.Areas;
using CitySense.Output.LineProtocol;
using CitySense.Output.Schema;

namespace CitySense.Benchmarks.Aggregation;

/// <summary>
/// What a window costs to keep. One operation opens one window of one kind: a community's 100 devices (every kind of
/// the city's mix) send one reading each in the next minute, the area writes its changed windows and trims the
/// oldest beyond <c>Indicators:WindowsKept</c>, as area grains do at each flush. In that steady state the window
/// dropped is garbage and the one opened is what the area keeps for an hour, so the bytes allocated per operation are
/// the memory of one kept window (the 100 updates themselves allocate nothing, AreaAggregateBenchmarks). An area keeps
/// WindowsKept × its kinds of them: at a million devices in 5 000 communities they are the memory that grows for the
/// first hour (docs/operations.md §2).
/// </summary>
public class WindowMemoryBenchmarks
{
    private DeviceUpdate[] _template = [];
    private DeviceUpdate[] _round = [];
    private IndicatorBatch _batch = null!;
    private AreaAggregate _area = null!;
    private KeyValuePair<string, string>[] _tags = [];
    private readonly LineBuilder _lines = new();
    private long _shiftMs;
    private long _windowMs;

    [GlobalSetup]
    public void Setup()
    {
        var city = MessageSets.City();
        var options = new IndicatorOptions();
        _windowMs = options.WindowMs;
        var community = city.Communities[0];
        var devices = community.Devices.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        _template = ReadingSets.Updates(ReadingSets.Rounds(city, 1, _windowMs), options)[0].Where(u => devices.Contains(u.Device)).ToArray();
        _round = (DeviceUpdate[])_template.Clone();
        _batch = new IndicatorBatch(_round, []);
        _area = new AreaAggregate(options);
        _tags = [new("district", community.District), new("community", community.Id)];
        // Past WindowsKept, so every operation drops a window as it opens one and the window list keeps its size.
        for (var i = 0; i < options.WindowsKept + 5; i++)
        {
            OpenNextWindow();
        }

        var kinds = _area.Kinds.Count();
        if (kinds != LinePoints.AreaKinds || _area.Kinds.Any(k => k.Windows.Count != options.WindowsKept))
        {
            throw new InvalidOperationException($"The community has {kinds} kinds, {LinePoints.AreaKinds} expected, each with {options.WindowsKept} windows kept.");
        }
    }

    [Benchmark(OperationsPerInvoke = LinePoints.AreaKinds)]
    public int OpenNextWindow()
    {
        _shiftMs += _windowMs;
        for (var i = 0; i < _round.Length; i++)
        {
            var u = _template[i];
            _round[i] = u with { TimestampMs = u.TimestampMs + _shiftMs, WindowStartMs = u.WindowStartMs + _shiftMs, ReceivedAtMs = u.ReceivedAtMs + _shiftMs };
        }

        _area.Apply(_batch);
        _lines.Clear();
        _area.WriteChangedWindows(_lines, InfluxSchema.Community, _tags);
        return _lines.Lines;
    }

    [GlobalCleanup]
    public void Cleanup() => _lines.Dispose();
}
