namespace CitySense.Grains.State;

/// <summary>What an area folded into its history since its last push, stored with the area's state.</summary>
[GenerateSerializer]
public sealed class PendingHistoryState
{
    /// <summary>The sequence number the next push carries.</summary>
    [Id(0)] public long Sequence { get; set; } = 1;

    /// <summary>Hours (local, as Unix ms of their start) before this have their expected readings counted.</summary>
    [Id(1)] public long ExpectedThroughMs { get; set; }

    [Id(2)] public HistoryBucket[] Hours { get; set; } = [];

    [Id(3)] public MeterDayState[] Meters { get; set; } = [];

    [Id(4)] public int PrunedThroughDay { get; set; }

    [Id(5)] public int PrunedThroughMonth { get; set; }

    [Id(6)] public int PrunedThroughMeters { get; set; }
}
