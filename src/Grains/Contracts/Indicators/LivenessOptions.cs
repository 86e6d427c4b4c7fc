namespace CitySense.Contracts.Indicators;

/// <summary>When a device counts as offline. Section "Liveness".</summary>
public sealed class LivenessOptions
{
    public const string Section = "Liveness";

    /// <summary>A device is offline after this many of its reporting intervals of silence...</summary>
    public double IntervalsOfSilence { get; set; } = 3;

    /// <summary>...and never before this much silence.</summary>
    public TimeSpan MinimumSilence { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often each community checks its devices (one timer per community, not per device).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
