using BenchmarkDotNet.Attributes;
using CitySense.Benchmarks.Infrastructure;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Domain.Alarms;
using CitySense.Grains.Domain.Devices;

namespace CitySense.Benchmarks.Aggregation;

/// <summary>
/// DeviceState.Apply, one operation per reading: every device of the city (all kinds) applies its next reading, as
/// device grains do for one ingest batch. Readings come from decoded payloads (registers moving forward, 5 s apart).
/// The prepared rounds are replayed with event times shifted forward, so time keeps advancing; registers step back
/// once per replay (one reading in <see cref="Rounds"/> per device takes the new-baseline path).
/// </summary>
[MemoryDiagnoser]
public class DeviceStateBenchmarks
{
    private const int Rounds = 48;
    private const long StepMs = 5_000;

    private AddressedReading[][] _rounds = [];
    private DeviceState[] _states = [];
    private int _round;
    private long _shiftMs;

    [GlobalSetup]
    public void Setup()
    {
        var city = MessageSets.City();
        _rounds = ReadingSets.Rounds(city, Rounds, StepMs);
        var rules = new DeviceRules(new IndicatorOptions(), new RegisterOptions(), new AlarmRules(new CitySense.Contracts.Alarms.AlarmOptions(), TimeZoneInfo.Utc));
        _states = _rounds[0].Select(_ => new DeviceState(rules)).ToArray();
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public decimal ApplyOneReadingPerDevice()
    {
        var round = _rounds[_round];
        decimal consumption = 0;
        for (var i = 0; i < round.Length; i++)
        {
            var (address, reading) = round[i];
            var update = _states[i].Apply(address, reading with { TimestampMs = reading.TimestampMs + _shiftMs });
            consumption += update.ConsumptionDelta;
        }

        if (++_round == Rounds)
        {
            _round = 0;
            _shiftMs += Rounds * StepMs;
        }

        return consumption;
    }
}
