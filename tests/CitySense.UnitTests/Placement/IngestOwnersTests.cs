using System.Collections.Immutable;
using System.Net;
using CitySense.Grains.Placement;
using Orleans.Metadata;

namespace CitySense.UnitTests.Placement;

/// <summary>
/// The owners of device shards and districts are the silos of Orleans' cluster manifest: a silo that has just joined
/// is an owner only once its grain types are known, so a grain asked to move can move at once.
/// </summary>
public sealed class IngestOwnersTests
{
    private static readonly SiloAddress Local = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);
    private static readonly SiloAddress Joining = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11112), 2);

    [Fact]
    public void The_owners_are_the_silos_of_the_manifest_in_one_order_whatever_the_local_silo()
    {
        var manifests = new Manifests(Manifest(3, 1, Joining, Local));
        var mine = new IngestOwners(manifests, new SiloDetails(Local)).Current;
        var theirs = new IngestOwners(manifests, new SiloDetails(Joining)).Current;

        Assert.False(mine.AllLocal);
        Assert.Equal(mine.Silos, theirs.Silos);
        Assert.Equal(Local.ToParsableString(), mine.Silos[mine.Local]);
        Assert.Equal(Joining.ToParsableString(), theirs.Silos[theirs.Local]);
        Assert.Equal(new MajorMinorVersion(3, 1), mine.Version);
    }

    [Fact]
    public void A_silo_not_yet_in_the_manifest_owns_nothing_and_a_silo_outside_it_owns_everything_locally()
    {
        // Active, but its grain types not fetched yet: the manifest lists only the local silo.
        var owners = new IngestOwners(new Manifests(Manifest(3, 0, Local)), new SiloDetails(Local));
        Assert.True(owners.Current.AllLocal);
        Assert.Equal([Local.ToParsableString()], owners.Current.Silos);

        // This silo not active yet: everything goes straight to its grain.
        var starting = new IngestOwners(new Manifests(Manifest(3, 0, Joining)), new SiloDetails(Local));
        Assert.True(starting.Current.AllLocal);
    }

    [Fact]
    public void The_view_is_rebuilt_only_when_the_manifest_version_changes()
    {
        var manifests = new Manifests(Manifest(3, 0, Local));
        var owners = new IngestOwners(manifests, new SiloDetails(Local));
        var first = owners.Current;
        Assert.Same(first, owners.Current);

        manifests.Current = Manifest(3, 1, Local, Joining);
        var second = owners.Current;
        Assert.NotSame(first, second);
        Assert.Equal(2, second.Silos.Length);
        Assert.Same(second, owners.Current);
    }

    [Fact]
    public void A_grain_moves_as_soon_as_the_manifest_names_another_owner_and_asks_once_per_version()
    {
        var manifests = new Manifests(Manifest(3, 0, Local));
        var owners = new IngestOwners(manifests, new SiloDetails(Local));
        var joined = IngestOwners.Of(Manifest(3, 1, Local, Joining), Local.ToParsableString());
        // A district the joining silo wins, found from the same ring the view uses.
        var key = Enumerable.Range(0, 100).Select(d => $"district-{d}").First(d => !joined.Owns(d));

        // Just activated, the joining silo active but its types not known: stay.
        var check = new OwnershipCheck();
        Assert.False(check.ShouldMove(owners, key));

        // Its types known: move on the next batch (no settle period), and not asked again for the same owners.
        manifests.Current = Manifest(3, 1, Local, Joining);
        Assert.True(check.ShouldMove(owners, key));
        Assert.False(check.ShouldMove(owners, key));

        // A grain activated after the change, on the wrong silo (a caller whose manifest lagged placed it): its first
        // batch moves it.
        var late = new OwnershipCheck();
        Assert.True(late.ShouldMove(owners, key));

        // Without a cluster there is nothing to check.
        Assert.False(new OwnershipCheck().ShouldMove(null, key));
    }

    private static ClusterManifest Manifest(long major, long minor, params SiloAddress[] silos)
    {
        var grains = new GrainManifest(ImmutableDictionary<GrainType, GrainProperties>.Empty, ImmutableDictionary<GrainInterfaceType, GrainInterfaceProperties>.Empty);
        return new ClusterManifest(new MajorMinorVersion(major, minor), silos.ToImmutableDictionary(s => s, _ => grains));
    }

    private sealed class Manifests(ClusterManifest current) : IClusterManifestProvider
    {
        public ClusterManifest Current { get; set; } = current;

        public IAsyncEnumerable<ClusterManifest> Updates => throw new NotSupportedException();

        public GrainManifest LocalGrainManifest => throw new NotSupportedException();
    }

    private sealed class SiloDetails(SiloAddress address) : ILocalSiloDetails
    {
        public string Name => "test";

        public string ClusterId => "test";

        public string DnsHostName => "localhost";

        public SiloAddress SiloAddress => address;

        public SiloAddress GatewayAddress => address;
    }
}
