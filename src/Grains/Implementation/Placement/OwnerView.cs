using Orleans.Metadata;

namespace CitySense.Grains.Placement;

/// <summary>
/// One cluster manifest's owners (<see cref="OwnerRing"/>): silos by index, this silo's index, and the owners of shards and
/// districts as they are asked for (those caches by the router only, one batch at a time). With one silo (or this silo not
/// yet active) everything is local.
/// </summary>
public sealed class OwnerView
{
    // Districts come from topics: a flood of invented ones must not grow this without bound.
    private const int MaxDistricts = 65_536;

    private readonly Dictionary<string, int> _districts = new(StringComparer.Ordinal);
    private int[] _shards = [];

    public OwnerView(MajorMinorVersion version, string[] silos, int local)
    {
        Version = version;
        Silos = silos;
        Local = local;
        AllLocal = silos.Length <= 1 || local < 0;
    }

    public static OwnerView Single(string silo) => new(MajorMinorVersion.MinValue, [silo], 0);

    /// <summary>The version of the cluster manifest this view was built from.</summary>
    public MajorMinorVersion Version { get; }

    /// <summary>The owners' addresses (<c>SiloAddress.ToParsableString</c>): the silos Orleans can place grains on.</summary>
    public string[] Silos { get; }

    /// <summary>This silo's index in <see cref="Silos"/>.</summary>
    public int Local { get; }

    /// <summary>One silo owns everything: the router calls every grain directly.</summary>
    public bool AllLocal { get; }

    /// <summary>Whether this silo owns <paramref name="key"/> (<see cref="OwnerKeys"/>). Safe from any thread: no cache.</summary>
    public bool Owns(string key) => AllLocal || OwnerRing.OwnerOf(key, Silos) == Local;

    /// <summary>The index of the silo that owns device shard <paramref name="shard"/> of <paramref name="count"/>.</summary>
    public int OwnerOfShard(int shard, int count)
    {
        if (AllLocal)
        {
            return Local;
        }

        if (_shards.Length != count)
        {
            _shards = new int[count];
            for (var s = 0; s < count; s++)
            {
                _shards[s] = OwnerRing.OwnerOf(OwnerKeys.Shard(s), Silos);
            }
        }

        return _shards[shard];
    }

    /// <summary>The index of the silo that owns <paramref name="district"/> and its communities.</summary>
    public int OwnerOfDistrict(string district)
    {
        if (AllLocal)
        {
            return Local;
        }

        if (!_districts.TryGetValue(district, out var owner))
        {
            if (_districts.Count >= MaxDistricts)
            {
                _districts.Clear();
            }

            _districts[district] = owner = OwnerRing.OwnerOf(district, Silos);
        }

        return owner;
    }
}
