using CitySense.Contracts.Grains;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using Orleans.Concurrency;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Domain;

namespace CitySense.Benchmarks.Routing;

/// <summary>DeviceGrain's body without Orleans: the real DeviceState, one update per reading, results in a new array.</summary>
public sealed class FakeDeviceGrain(IndicatorOptions options) : IDeviceGrain
{
    private readonly DeviceState _state = new(options, new RegisterOptions(), new AlarmEvaluator(new CitySense.Contracts.Alarms.AlarmOptions(), TimeZoneInfo.Utc));

    public Task<Immutable<DeviceUpdate[]>> Apply(DeviceAddress address, Immutable<DeviceReading[]> readings)
    {
        var input = readings.Value;
        var updates = new DeviceUpdate[input.Length];
        for (var i = 0; i < input.Length; i++)
        {
            updates[i] = _state.Apply(address, input[i]);
        }

        return Task.FromResult(updates.AsImmutable());
    }

    public Task<DeviceSnapshot?> GetSnapshot() => Task.FromResult(_state.ToSnapshot());

    public Task<CitySense.Contracts.Registry.DeviceProfile?> GetProfile() => throw new NotSupportedException();

    public Task<CitySense.Contracts.Registry.RegistryResult> Provision(CitySense.Contracts.Registry.DeviceRegistration registration) => throw new NotSupportedException();

    public Task<CitySense.Contracts.Registry.RegistryResult> Move(string district, string community) => throw new NotSupportedException();

    public Task<CitySense.Contracts.Registry.RegistryResult> RecordReplacement() => throw new NotSupportedException();

    public Task<CitySense.Contracts.Registry.RegistryResult> Decommission() => throw new NotSupportedException();
}
