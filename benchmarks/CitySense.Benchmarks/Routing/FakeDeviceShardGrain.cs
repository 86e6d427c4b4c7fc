using CitySense.Contracts.Alarms;
using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Domain.Alarms;
using CitySense.Grains.Domain.Devices;
using Orleans.Concurrency;

namespace CitySense.Benchmarks.Routing;

/// <summary>DeviceShardGrain's body without Orleans: the real DeviceState per device, one update per reading, results in new arrays.</summary>
public sealed class FakeDeviceShardGrain(IndicatorOptions options) : IDeviceShardGrain
{
    private readonly Dictionary<string, DeviceState> _devices = new(StringComparer.Ordinal);
    private readonly DeviceRules _rules = new(options, new RegisterOptions(), new AlarmRules(new AlarmOptions(), TimeZoneInfo.Utc));

    public int Devices => _devices.Count;

    public Task<Immutable<DeviceUpdate[][]>> Apply(Immutable<ShardBatch> batch)
    {
        var devices = batch.Value.Devices;
        var result = new DeviceUpdate[devices.Length][];
        for (var d = 0; d < devices.Length; d++)
        {
            if (!_devices.TryGetValue(devices[d].Device, out var state))
            {
                state = new DeviceState(_rules);
                _devices.Add(devices[d].Device, state);
            }

            var input = batch.Value.Readings[d];
            var updates = new DeviceUpdate[input.Length];
            for (var i = 0; i < input.Length; i++)
            {
                updates[i] = state.Apply(devices[d], input[i]);
            }

            result[d] = updates;
        }

        return Task.FromResult(result.AsImmutable());
    }

    public Task<DeviceSnapshot?> GetSnapshot(string device, bool registered) => Task.FromResult(_devices.TryGetValue(device, out var s) ? s.ToSnapshot() : null);

    public Task<DevicePlacement> GetPlacement(string device, bool registered) => throw new NotSupportedException();

    public Task<DevicePlacement?> TryPlace(string device, DeviceAddress address, decimal? registerMax) => throw new NotSupportedException();

    public Task<double> Move(string device, DeviceAddress address) => throw new NotSupportedException();

    public Task<double> Decommission(string device) => throw new NotSupportedException();

    public Task RecordReplacement(string device) => throw new NotSupportedException();

    public Task<Immutable<DeviceUpdate>> ReleaseSuspect(string device, DeviceAddress address, CitySense.Contracts.Vee.SuspectReading suspect) => throw new NotSupportedException();
}
