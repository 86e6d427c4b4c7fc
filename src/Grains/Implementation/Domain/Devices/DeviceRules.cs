using CitySense.Contracts.Indicators;
using CitySense.Contracts.Vee;
using CitySense.Grains.Domain.Alarms;

namespace CitySense.Grains.Domain.Devices;

/// <summary>
/// What every device of a shard applies its readings with: the indicator windows, the register rules, the alarm rules
/// and the validation and estimation rules. One instance per shard, one reference per device (four references each were
/// 32 bytes a device, 32 MB at a million). <see cref="Alarms"/> is not thread-safe (it lends an evaluator within a turn).
/// </summary>
public sealed class DeviceRules(IndicatorOptions indicators, RegisterOptions registers, AlarmRules? alarms = null, VeeOptions? vee = null)
{
    public IndicatorOptions Indicators => indicators;

    public RegisterOptions Registers => registers;

    public AlarmRules? Alarms => alarms;

    public VeeOptions? Vee => vee;
}
