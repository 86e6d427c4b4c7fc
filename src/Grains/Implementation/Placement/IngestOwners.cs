using Orleans.Metadata;

namespace CitySense.Grains.Placement;

/// <summary>
/// The router's view of who owns what: the silos Orleans can place grains on, and this silo among them. Those are the
/// silos of the cluster manifest (<see cref="IClusterManifestProvider"/>): active ones whose grain types this silo has
/// learned. A silo is active a moment before its types are known, and until then Orleans places no grain there, so a view
/// built from the membership alone named an owner a grain could not move to (it stayed put, or was placed elsewhere and
/// had to wait to move). Rebuilt only when the manifest's version changes; owners of shards and districts are remembered
/// per view. A router outside a silo (tests that drive one from a cluster client) uses <see cref="IngestOwners.Local"/>:
/// one owner for everything, so every call goes straight to its grain.
/// </summary>
public sealed class IngestOwners
{
    private readonly IClusterManifestProvider? _manifests;
    private readonly string _localSilo;
    // Replaced whole when the manifest changes; read by the router and by grains on any thread.
    private volatile OwnerView _view;

    public IngestOwners(IClusterManifestProvider manifests, ILocalSiloDetails local)
    {
        _manifests = manifests;
        _localSilo = local.SiloAddress.ToParsableString();
        _view = OwnerView.Single(_localSilo);
    }

    private IngestOwners()
    {
        _localSilo = "local";
        _view = OwnerView.Single(_localSilo);
    }

    /// <summary>Everything owned by the caller (no cluster: a single silo, or a router driven from a client).</summary>
    public static IngestOwners Local { get; } = new();

    /// <summary>The current view; cheap when the manifest has not changed since the last call.</summary>
    public OwnerView Current
    {
        get
        {
            if (_manifests is null)
            {
                return _view;
            }

            var view = _view;
            var manifest = _manifests.Current;
            if (manifest.Version != view.Version)
            {
                _view = view = Of(manifest, _localSilo);
            }

            return view;
        }
    }

    /// <summary>
    /// The owners a manifest names. The manifest lists only active silos (Orleans drops the others when the membership
    /// changes); every silo of a cluster runs the same grains, so a silo listed there can take any of ours.
    /// </summary>
    internal static OwnerView Of(ClusterManifest manifest, string localSilo)
    {
        var silos = manifest.Silos.Keys.Select(s => s.ToParsableString()).Order(StringComparer.Ordinal).ToArray();
        return new OwnerView(manifest.Version, silos, Array.IndexOf(silos, localSilo));
    }
}
