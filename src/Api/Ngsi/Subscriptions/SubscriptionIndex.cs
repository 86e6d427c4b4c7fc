using CitySense.Contracts.Subscriptions;

namespace CitySense.Api.Ngsi.Subscriptions;

/// <summary>
/// This silo's copy of the active subscriptions, indexed: subscriptions naming exact entity ids are found by the id (a
/// dictionary lookup per change, whatever their number); the others (by type, id pattern or attributes only) are tried
/// one by one. Immutable: the matcher swaps in a new one when the registry changes.
/// </summary>
public sealed class SubscriptionIndex
{
    private static readonly CompiledSubscription[] None = [];
    private readonly Dictionary<string, CompiledSubscription[]> _byId;
    private readonly CompiledSubscription[] _scanned;

    public SubscriptionIndex(IEnumerable<SubscriptionSpec> specs, long nowMs)
    {
        var compiled = specs.Where(s => s.IsActive && !s.ExpiredAt(nowMs)).Select(s => new CompiledSubscription(s)).ToArray();
        Count = compiled.Length;
        _byId = compiled
            .SelectMany(c => c.ExactIds.Distinct(StringComparer.Ordinal).Select(id => (id, c)))
            .GroupBy(p => p.id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.c).ToArray(), StringComparer.Ordinal);
        _scanned = compiled.Where(c => !c.ExactIds.Any()).ToArray();
        WantsAreas = compiled.Any(c => c.CouldSelectType(NgsiTypes.Community) || c.CouldSelectType(NgsiTypes.District) || c.CouldSelectType(NgsiTypes.City));
        WantsAlarms = compiled.Any(c => c.CouldSelectType(NgsiTypes.Alert));
        EarliestExpiryMs = compiled.Select(c => c.Spec.ExpiresAtMs ?? long.MaxValue).DefaultIfEmpty(long.MaxValue).Min();
    }

    public static SubscriptionIndex Empty { get; } = new([], 0);

    public int Count { get; }

    /// <summary>Whether a subscription could select a Community, District or City.</summary>
    public bool WantsAreas { get; }

    /// <summary>Whether a subscription could select an Alert.</summary>
    public bool WantsAlarms { get; }

    /// <summary>When the index must be rebuilt because a subscription in it expires.</summary>
    public long EarliestExpiryMs { get; }

    /// <summary>Whether any subscription could select this entity (a lookup, no rendering needed).</summary>
    public bool AnyFor(string id) => _scanned.Length > 0 || _byId.ContainsKey(id);

    /// <summary>The subscriptions that select the entity by id and type (not yet q or watchedAttributes).</summary>
    public IEnumerable<CompiledSubscription> Candidates(string id, string type)
    {
        foreach (var c in _byId.GetValueOrDefault(id, None))
        {
            if (c.SelectsEntity(id, type))
            {
                yield return c;
            }
        }

        foreach (var c in _scanned)
        {
            if (c.SelectsEntity(id, type))
            {
                yield return c;
            }
        }
    }
}
