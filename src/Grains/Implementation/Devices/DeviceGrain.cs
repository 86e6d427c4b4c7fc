using CitySense.Contracts.Alarms;
using CitySense.Contracts.Grains;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Domain;
using Microsoft.Extensions.Options;

namespace CitySense.Grains.Devices;

/// <summary>
/// Keeps a device's register baseline and latest reading. Once it has a reading it is not collected when idle: its
/// baseline is what makes the next delta right, and there is no grain storage yet to bring it back.
/// </summary>
public sealed class DeviceGrain(IOptions<IndicatorOptions> options, IOptions<RegisterOptions> registers, IOptions<AlarmOptions> alarms) : Grain, IDeviceGrain
{
    private readonly DeviceState _state = new(options.Value, registers.Value, new AlarmEvaluator(alarms.Value, CityTimeZone.Of(alarms.Value)));

    public Task<Immutable<DeviceUpdate[]>> Apply(DeviceAddress address, Immutable<DeviceReading[]> readings)
    {
        this.DelayDeactivation(GrainLifetime.WithData);
        var input = readings.Value;
        var updates = new DeviceUpdate[input.Length];
        for (var i = 0; i < input.Length; i++)
        {
            updates[i] = _state.Apply(address, input[i]);
        }

        return Task.FromResult(updates.AsImmutable());
    }

    public Task<DeviceSnapshot?> GetSnapshot() => Task.FromResult(_state.ToSnapshot());
}
