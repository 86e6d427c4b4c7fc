namespace CitySense.Grains.Placement;

/// <summary>
/// A grain placed by its owner (<see cref="OwnerPlacement"/>) asks this on each batch whether it should move: Orleans
/// places a grain only when it activates, so after a silo joins (or a dead one's grains were placed elsewhere and it
/// returns) a grain stays where it is, and every batch would reach it across silos. It moves once it is idle
/// (<c>MigrateOnIdle</c>): areas store their state first and load it there; a device shard rebuilds its devices from
/// their registry records and their communities' ledgers, as after a silo failure. Checked only when the membership
/// changed since the grain last asked, and not in a grain's first 5 s.
/// </summary>
public struct OwnershipCheck
{
    private MembershipVersion _checked;

    // A grain that has just been placed does not move for this long: the placement director chose this silo knowing
    // which silos can take the grain, and a silo that has just joined may not be one of them yet (Orleans learns a new
    // silo's grain types a moment after it becomes active). Moving at once could send it back and forth until then.
    private const long SettleMs = 5_000;

    private long _settledAt;

    /// <summary>Called when the grain activates.</summary>
    public void Activated() => _settledAt = Environment.TickCount64 + SettleMs;

    /// <summary>True once per membership change in which another silo owns <paramref name="key"/>.</summary>
    public bool ShouldMove(IngestOwners? owners, string key)
    {
        if (owners is null || Environment.TickCount64 < _settledAt)
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
