using Orleans.Metadata;

namespace CitySense.Grains.Placement;

/// <summary>
/// A grain placed by its owner (<see cref="OwnerPlacement"/>) asks this on each batch whether it should move: Orleans
/// places a grain only when it activates, so after a silo joins (or a dead one's grains were placed elsewhere and it
/// returns) a grain stays where it is, and every batch would reach it across silos. It moves once it is idle
/// (<c>MigrateOnIdle</c>): areas store their state first and load it there; a device shard rebuilds its devices from
/// their registry records and their communities' ledgers, as after a silo failure. Checked only when the owners changed
/// since the grain last asked. The owners are the silos Orleans can place grains on (<see cref="IngestOwners"/>), so a
/// grain never moves towards a silo that cannot take it yet: no settle period is needed after a silo joins.
/// </summary>
public struct OwnershipCheck
{
    // The version of the owner view last checked; none before the first batch.
    private MajorMinorVersion? _checked;

    /// <summary>True once per change of the owners in which another silo owns <paramref name="key"/>.</summary>
    public bool ShouldMove(IngestOwners? owners, string key)
    {
        if (owners is null)
        {
            return false;
        }

        var view = owners.Current;
        if (view.Version == _checked)
        {
            return false;
        }

        _checked = view.Version;
        return !view.Owns(key);
    }
}
