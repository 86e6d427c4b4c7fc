using System.Text.Json;
using System.Text.RegularExpressions;
using CitySense.Contracts.Subscriptions;

namespace CitySense.Api.Ngsi.Subscriptions;

/// <summary>A subscription ready to match: its query parsed and its id patterns compiled, once per silo and change of definition.</summary>
public sealed class CompiledSubscription
{
    private readonly (string? Type, string? Id, Regex? Pattern)[] _selectors;
    private readonly NgsiQuery? _query;
    private readonly string[]? _watched;

    public CompiledSubscription(SubscriptionSpec spec)
    {
        Spec = spec;
        _selectors = spec.Entities
            .Select(e => (e.Type is null ? null : SubscriptionRequest.ShortName(e.Type), e.EntityId,
                e.IdPattern is null ? null : new Regex(e.IdPattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50))))
            .ToArray();
        if (spec.Q is not null && NgsiQuery.TryParse(spec.Q, out var query, out _))
        {
            _query = query;
        }

        _watched = spec.WatchedAttributes is { Length: > 0 } watched ? watched : null;
    }

    public SubscriptionSpec Spec { get; }

    /// <summary>The exact entity ids it names (when every selector names one): the matcher's index key.</summary>
    public IEnumerable<string> ExactIds => _selectors.All(s => s.Id is not null) ? _selectors.Select(s => s.Id!) : [];

    public bool NeedsDocument => _query is not null || _watched is not null;

    /// <summary>Whether some entity of the type could be selected (by its selectors alone, not yet id, q or watchedAttributes).</summary>
    public bool CouldSelectType(string type) =>
        _selectors.Length == 0 || _selectors.Any(s => s.Type is null || string.Equals(s.Type, type, StringComparison.Ordinal));

    public bool SelectsEntity(string id, string type)
    {
        if (_selectors.Length == 0)
        {
            return true;
        }

        foreach (var (selectorType, selectorId, pattern) in _selectors)
        {
            if (selectorType is not null && !string.Equals(selectorType, type, StringComparison.Ordinal))
            {
                continue;
            }

            if (selectorId is not null ? string.Equals(selectorId, id, StringComparison.Ordinal) : pattern is null || SafeMatch(pattern, id))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the changed entity passes q and watchedAttributes (changed: an attribute observed at
    /// <paramref name="observedAt"/>; with null, an entity that changed as a whole, an area or an alert: any watched
    /// attribute it has).
    /// </summary>
    public bool Passes(JsonElement entity, string? observedAt)
    {
        if (_query is not null && !_query.Matches(entity))
        {
            return false;
        }

        if (_watched is null)
        {
            return true;
        }

        foreach (var name in _watched)
        {
            if (!entity.TryGetProperty(name, out var attribute))
            {
                continue;
            }

            if (observedAt is null)
            {
                return true;
            }

            if (attribute.ValueKind == JsonValueKind.Object
                && attribute.TryGetProperty("observedAt", out var at) && at.ValueKind == JsonValueKind.String && at.GetString() == observedAt)
            {
                return true;
            }
        }

        return false;
    }

    private static bool SafeMatch(Regex regex, string text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
