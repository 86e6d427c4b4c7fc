namespace CitySense.Grains.Placement;

/// <summary>
/// Which silo owns a key: rendezvous (highest random weight) hashing of the key against each silo's name. Every silo
/// computes the same owner from the same membership, with nothing to coordinate; and when a silo joins or leaves only
/// the keys it wins or held change owner (about 1/N of them), where a modulo over the sorted silos (Orleans' hash
/// placement) moves nearly every key. The hash is FNV-1a over UTF-16 code units, finished by SplitMix64: stable across
/// processes (string.GetHashCode is randomized per process).
/// </summary>
public static class OwnerRing
{
    /// <summary>The index in <paramref name="silos"/> of the silo that owns <paramref name="key"/>; -1 when there is none.</summary>
    public static int OwnerOf(string key, IReadOnlyList<string> silos)
    {
        var keyHash = Fnv(key, 14695981039346656037UL);
        var best = -1;
        var bestScore = 0UL;
        for (var i = 0; i < silos.Count; i++)
        {
            var score = Mix(Fnv(silos[i], keyHash));
            // Ties (practically never) go to the lower name, so every silo decides the same way whatever its list's order.
            if (best < 0 || score > bestScore || (score == bestScore && string.CompareOrdinal(silos[i], silos[best]) < 0))
            {
                best = i;
                bestScore = score;
            }
        }

        return best;
    }

    private static ulong Fnv(string text, ulong hash)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
