using BenchmarkDotNet.Attributes;
using CitySense.Benchmarks.Infrastructure;
using CitySense.Contracts.Indicators;
using CitySense.Grains.Domain.Areas;
using CitySense.Grains.Domain.Devices;
using CitySense.Grains.Domain.History;

namespace CitySense.Benchmarks.Aggregation;

/// <summary>
/// AreaAggregate.Apply, one operation per device update, for the batch sizes area grains get: a community's share of
/// an ingest batch (its 100 devices) and the city's whole batch (1000 devices, every kind). Updates come from
/// DeviceState over decoded readings 5 s apart; the 12 rounds of one window are replayed, so this is the steady state
/// inside a window (window, accumulators and dictionary entries exist). Opening a new window allocates once per kind
/// and metric per window; that is amortized over the window's readings and not in this figure. The *WithHistory
/// variants fold the same updates into pending history hours too (docs/history.md), as area grains do: their ratio to
/// the plain ones is what history costs an area per update, measured in the same run.
/// </summary>
[MemoryDiagnoser]
public class AreaAggregateBenchmarks
{
    private const long StepMs = 5_000;

    private IndicatorBatch[] _communityBatches = [];
    private IndicatorBatch[] _cityBatches = [];
    private AreaAggregate _community = null!;
    private AreaAggregate _city = null!;
    private AreaAggregate _communityWithHistory = null!;
    private AreaAggregate _cityWithHistory = null!;
    private int _communityRound;
    private int _cityRound;

    public static int RoundsPerWindow => (int)(new IndicatorOptions().WindowMs / StepMs);

    [GlobalSetup]
    public void Setup()
    {
        var city = MessageSets.City();
        var options = new IndicatorOptions();
        var updates = ReadingSets.Updates(ReadingSets.Rounds(city, RoundsPerWindow, StepMs), options);
        var first = city.Communities[0].Devices.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        _communityBatches = updates.Select(u => new IndicatorBatch(u.Where(x => first.Contains(x.Device)).ToArray(), [])).ToArray();
        _cityBatches = updates.Select(u => new IndicatorBatch(u, [])).ToArray();
        if (_communityBatches[0].Updates.Length != 100 || _cityBatches[0].Updates.Length != 1000)
        {
            throw new InvalidOperationException("The city no longer has 100 devices per community and 1000 in all.");
        }

        _community = new AreaAggregate(options);
        _city = new AreaAggregate(options);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var night = new NightWindow(TimeSpan.FromHours(2), TimeSpan.FromHours(4));
        _communityWithHistory = new AreaAggregate(options, new PendingHistory(new LocalCalendar(berlin), night));
        _cityWithHistory = new AreaAggregate(options, new PendingHistory(new LocalCalendar(berlin), night));
        foreach (var batch in _communityBatches)
        {
            _community.Apply(batch);
            _communityWithHistory.Apply(batch);
        }

        foreach (var batch in _cityBatches)
        {
            _city.Apply(batch);
            _cityWithHistory.Apply(batch);
        }
    }

    [Benchmark(OperationsPerInvoke = 100)]
    public void CommunityBatchOf100WithHistory()
    {
        _communityWithHistory.Apply(_communityBatches[_communityRound]);
        _communityRound = (_communityRound + 1) % _communityBatches.Length;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public void CityBatchOf1000WithHistory()
    {
        _cityWithHistory.Apply(_cityBatches[_cityRound]);
        _cityRound = (_cityRound + 1) % _cityBatches.Length;
    }

    [Benchmark(OperationsPerInvoke = 100)]
    public void CommunityBatchOf100()
    {
        _community.Apply(_communityBatches[_communityRound]);
        _communityRound = (_communityRound + 1) % _communityBatches.Length;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public void CityBatchOf1000()
    {
        _city.Apply(_cityBatches[_cityRound]);
        _cityRound = (_cityRound + 1) % _cityBatches.Length;
    }
}
