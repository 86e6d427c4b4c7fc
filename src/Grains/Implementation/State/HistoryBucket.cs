namespace CitySense.Grains.State;

/// <summary>One kind's figures for the bucket starting at <see cref="StartMs"/> (Unix ms of the local hour, day or month start).</summary>
[GenerateSerializer]
public sealed class HistoryBucket
{
    [Id(0)] public string Kind { get; set; } = string.Empty;

    [Id(1)] public long StartMs { get; set; }

    [Id(2)] public HistoryFigures Figures { get; set; } = new();
}
