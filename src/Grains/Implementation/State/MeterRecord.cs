namespace CitySense.Grains.State;

/// <summary>
/// One community's meters' daily consumption in one local month (storage "history"): per device, one entry per day of
/// the month (index 0 is the 1st), measured and estimated apart.
/// </summary>
[GenerateSerializer]
public sealed class MeterRecord
{
    [Id(0)] public long AppliedSequence { get; set; }

    [Id(1)] public Dictionary<string, decimal[]> Measured { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public Dictionary<string, decimal[]> Estimated { get; set; } = new(StringComparer.Ordinal);
}
