using CitySense.Contracts.Vee;

namespace CitySense.Grains.Domain.Devices;

/// <summary>
/// The part of a device's state that most devices never set: refusal, duplicate, late and gap counts, an operator's
/// register maximum, a held suspect reading and a move's starting consumption. Kept apart and made
/// on first use, so a device that only reports in order costs 8 bytes here instead of about 100.
/// </summary>
internal sealed class DeviceRareState
{
    public long Rejected;
    public long Duplicates;
    public long Late;
    public long GapsEstimated;
    public long GapsNotEstimated;
    public decimal? RegisterMax;
    public decimal ConsumptionAtPlace;
    public SuspectReading? Held;
}
