namespace CitySense.Grains.Placement;

/// <summary>
/// The router's view of who owns what: the active silos as <see cref="OwnerPlacementDirector"/> sees them, and this
/// silo among them. Rebuilt only when the membership's version changes; owners of shards and districts are remembered
/// per view. A router outside a silo (tests that drive one from a cluster client) uses <see cref="IngestOwners.Local"/>:
/// one owner for everything, so every call goes straight to its grain.
/// </summary>
public sealed class IngestOwners
{
    private readonly IClusterMembershipService? _membership;
    private readonly string _localSilo;
    // Replaced whole when the membership changes; read by the router and by grains on any thread.
    private volatile OwnerView _view;

    public IngestOwners(IClusterMembershipService membership, ILocalSiloDetails local)
    {
        _membership = membership;
        _localSilo = local.SiloAddress.ToParsableString();
        _view = OwnerView.Single(_localSilo);
    }

    private IngestOwners()
    {
        _localSilo = "local";
        _view = OwnerView.Single(_localSilo);
    }

    /// <summary>Everything owned by the caller (no membership: a single silo, or a router driven from a client).</summary>
    public static IngestOwners Local { get; } = new();

    /// <summary>The current view; cheap when the membership has not changed since the last call.</summary>
    public OwnerView Current
    {
        get
        {
            if (_membership is null)
            {
                return _view;
            }

            var view = _view;
            var snapshot = _membership.CurrentSnapshot;
            if (snapshot.Version != view.Version)
            {
                var active = snapshot.Members.Values
                    .Where(m => m.Status == SiloStatus.Active)
                    .Select(m => m.SiloAddress.ToParsableString())
                    .ToArray();
                _view = view = new OwnerView(snapshot.Version, active, Array.IndexOf(active, _localSilo));
            }

            return view;
        }
    }
}
