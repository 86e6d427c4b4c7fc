using CitySense.Contracts.Snapshots;

namespace CitySense.Contracts.Live;

/// <summary>
/// The current figures of one kind in one area, right after a change. Not a delta: a subscriber that missed updates is
/// up to date again with the next one.
/// </summary>
/// <param name="Seq">Silo-wide sequence number: increases by one with every update or alarm the silo publishes, so a
/// subscriber that sees everything sees no gap, and updates of one area and kind always arrive in increasing order.</param>
/// <param name="AtMs">Server time the change was announced (Unix ms).</param>
/// <param name="Level">community, district or city.</param>
/// <param name="Key">"{district}/{community}", the district id or "city".</param>
/// <param name="Figures">The kind's figures; <see cref="KindSnapshot.Windows"/> holds the newest window only.</param>
[GenerateSerializer, Immutable]
public sealed record IndicatorUpdate(
    [property: Id(0)] long Seq,
    [property: Id(1)] long AtMs,
    [property: Id(2)] string Level,
    [property: Id(3)] string Key,
    [property: Id(4)] KindSnapshot Figures) : ILiveUpdate
{
    /// <summary>The district of the area; null for the city.</summary>
    public string? District => Level == LiveLevels.City ? null : Level == LiveLevels.District ? Key : Key[..Key.IndexOf('/')];

    /// <summary>The community id (without its district); null above the community level.</summary>
    public string? Community => Level == LiveLevels.Community ? Key[(Key.IndexOf('/') + 1)..] : null;
}
