using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CitySense.Contracts.Subscriptions;

namespace CitySense.Api.Ngsi.Subscriptions;

/// <summary>
/// Reads an NGSI-LD subscription body (create) or fragment (patch) into a <see cref="SubscriptionSpec"/>, checking it
/// as the API promises (docs/sharing.md); the error is the sentence a BadRequestData carries. Pure: unit-tested.
/// </summary>
public static class SubscriptionRequest
{
    public const string IdPrefix = "urn:ngsi-ld:Subscription:";
    private const int MaxItems = 100;
    private const int MaxText = 2048;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "id", "type", "subscriptionName", "name", "description", "entities", "watchedAttributes", "q", "throttling",
        "expiresAt", "isActive", "notification", "@context", "status",
    };

    /// <summary>A new subscription from a whole body. <paramref name="context"/>: the body's or the Link header's.</summary>
    public static bool TryCreate(JsonElement body, string? linkContext, long nowMs, out SubscriptionSpec? spec, out string error)
    {
        spec = null;
        if (!CheckObject(body, out error))
        {
            return false;
        }

        if (!body.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Subscription")
        {
            error = "type must be \"Subscription\".";
            return false;
        }

        var id = IdPrefix + Guid.NewGuid().ToString("N");
        if (body.TryGetProperty("id", out var given))
        {
            if (given.ValueKind != JsonValueKind.String || !IsUri(given.GetString()!))
            {
                error = "id must be a URI (for example urn:ngsi-ld:Subscription:my-sub).";
                return false;
            }

            id = given.GetString()!;
        }

        if (!body.TryGetProperty("notification", out _))
        {
            error = "notification is required (notification.endpoint.uri says where to send).";
            return false;
        }

        var empty = new SubscriptionSpec(id, [], null, null, 0, null, string.Empty, "application/json", null, true, nowMs, nowMs)
        {
            Context = ContextOf(body) ?? linkContext,
        };
        if (!TryApply(empty, body, nowMs, creating: true, out spec, out error))
        {
            return false;
        }

        if (spec!.ExpiresAtMs is { } expires && expires <= nowMs)
        {
            spec = null;
            error = "expiresAt is in the past.";
            return false;
        }

        return true;
    }

    /// <summary>A patch: the members present replace the subscription's; id and type cannot change.</summary>
    public static bool TryPatch(SubscriptionSpec current, JsonElement fragment, long nowMs, out SubscriptionSpec? spec, out string error)
    {
        spec = null;
        if (!CheckObject(fragment, out error))
        {
            return false;
        }

        if (fragment.TryGetProperty("id", out var id) && (id.ValueKind != JsonValueKind.String || id.GetString() != current.Id))
        {
            error = "id cannot be changed.";
            return false;
        }

        if (fragment.TryGetProperty("type", out var type) && (type.ValueKind != JsonValueKind.String || type.GetString() != "Subscription"))
        {
            error = "type must be \"Subscription\".";
            return false;
        }

        return TryApply(current, fragment, nowMs, creating: false, out spec, out error);
    }

    private static bool CheckObject(JsonElement body, out string error)
    {
        error = string.Empty;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = "The body must be a JSON object.";
            return false;
        }

        foreach (var property in body.EnumerateObject())
        {
            if (!Known.Contains(property.Name))
            {
                error = $"Unknown member '{property.Name}'.";
                return false;
            }
        }

        return true;
    }

    private static bool TryApply(SubscriptionSpec current, JsonElement body, long nowMs, bool creating, out SubscriptionSpec? spec, out string error)
    {
        spec = null;
        error = string.Empty;
        var next = current with { ModifiedAtMs = nowMs };
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "subscriptionName" or "name":
                    if (!TryText(value, property.Name, out var name, out error))
                    {
                        return false;
                    }

                    next = next with { Name = name };
                    break;
                case "description":
                    if (!TryText(value, "description", out var description, out error))
                    {
                        return false;
                    }

                    next = next with { Description = description };
                    break;
                case "entities":
                    if (!TryEntities(value, out var entities, out error))
                    {
                        return false;
                    }

                    next = next with { Entities = entities };
                    break;
                case "watchedAttributes":
                    if (!TryNames(value, "watchedAttributes", out var watched, out error))
                    {
                        return false;
                    }

                    next = next with { WatchedAttributes = watched };
                    break;
                case "q":
                    if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length > MaxText)
                    {
                        error = "q must be a string (the NGSI-LD query language).";
                        return false;
                    }

                    if (!NgsiQuery.TryParse(value.GetString()!, out _, out error))
                    {
                        return false;
                    }

                    next = next with { Q = value.GetString() };
                    break;
                case "throttling":
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var throttling) || throttling < 0 || throttling > 86_400)
                    {
                        error = "throttling must be a number of seconds, 0 to 86400.";
                        return false;
                    }

                    next = next with { ThrottlingS = throttling };
                    break;
                case "expiresAt":
                    if (value.ValueKind != JsonValueKind.String
                        || !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires))
                    {
                        error = "expiresAt must be a date-time (ISO 8601, for example 2027-01-01T00:00:00Z).";
                        return false;
                    }

                    next = next with { ExpiresAtMs = expires.ToUnixTimeMilliseconds() };
                    break;
                case "isActive":
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        error = "isActive must be true or false.";
                        return false;
                    }

                    next = next with { IsActive = value.GetBoolean() };
                    break;
                case "notification":
                    if (!TryNotification(next, value, creating, out next, out error))
                    {
                        return false;
                    }

                    break;
                case "@context":
                    next = next with { Context = ContextOf(body) ?? next.Context };
                    break;
            }
        }

        if (next.Entities.Length == 0 && next.WatchedAttributes is not { Length: > 0 })
        {
            error = "entities or watchedAttributes is required (which entities, or which attribute changes, to notify).";
            return false;
        }

        spec = next;
        return true;
    }

    private static bool TryEntities(JsonElement value, out EntitySelector[] entities, out string error)
    {
        entities = [];
        error = string.Empty;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > MaxItems)
        {
            error = $"entities must be an array of 1 to {MaxItems} items.";
            return false;
        }

        var list = new List<EntitySelector>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                error = "Each item of entities must be an object with type, and id or idPattern.";
                return false;
            }

            string? type = null, id = null, pattern = null;
            foreach (var member in item.EnumerateObject())
            {
                if (member.Value.ValueKind != JsonValueKind.String || member.Value.GetString()!.Length is 0 or > MaxText)
                {
                    error = $"entities[].{member.Name} must be a non-empty string.";
                    return false;
                }

                switch (member.Name)
                {
                    case "type":
                        type = member.Value.GetString();
                        break;
                    case "id":
                        id = member.Value.GetString();
                        if (!IsUri(id!))
                        {
                            error = $"entities[].id '{id}' is not a URI.";
                            return false;
                        }

                        break;
                    case "idPattern":
                        pattern = member.Value.GetString();
                        try
                        {
                            _ = new Regex(pattern!, RegexOptions.None, TimeSpan.FromMilliseconds(50));
                        }
                        catch (ArgumentException ex)
                        {
                            error = $"entities[].idPattern is not a regular expression: {ex.Message}";
                            return false;
                        }

                        break;
                    default:
                        error = $"entities[] has an unknown member '{member.Name}' (type, id, idPattern).";
                        return false;
                }
            }

            if (type is null)
            {
                error = "entities[].type is required.";
                return false;
            }

            if (id is not null && pattern is not null)
            {
                error = "entities[] takes id or idPattern, not both.";
                return false;
            }

            list.Add(new EntitySelector(type, id, pattern));
        }

        entities = [.. list];
        return true;
    }

    private static bool TryNotification(SubscriptionSpec current, JsonElement value, bool creating, out SubscriptionSpec next, out string error)
    {
        next = current;
        error = string.Empty;
        if (value.ValueKind != JsonValueKind.Object)
        {
            error = "notification must be an object.";
            return false;
        }

        var endpointSeen = false;
        foreach (var member in value.EnumerateObject())
        {
            switch (member.Name)
            {
                case "attributes":
                    if (!TryNames(member.Value, "notification.attributes", out var attributes, out error))
                    {
                        return false;
                    }

                    next = next with { NotifyAttributes = attributes };
                    break;
                case "format":
                    if (member.Value.ValueKind != JsonValueKind.String || member.Value.GetString() != "normalized")
                    {
                        error = "notification.format: only \"normalized\" is supported.";
                        return false;
                    }

                    break;
                case "endpoint":
                    endpointSeen = true;
                    if (!TryEndpoint(next, member.Value, out next, out error))
                    {
                        return false;
                    }

                    break;
                case "status" or "timesSent" or "timesFailed" or "lastNotification" or "lastSuccess" or "lastFailure" or "consecutiveErrors":
                    // Read-only members a client may echo back from a GET; ignored.
                    break;
                default:
                    error = $"notification has an unknown member '{member.Name}' (attributes, format, endpoint).";
                    return false;
            }
        }

        if (creating && !endpointSeen)
        {
            error = "notification.endpoint is required.";
            return false;
        }

        return true;
    }

    private static bool TryEndpoint(SubscriptionSpec current, JsonElement value, out SubscriptionSpec next, out string error)
    {
        next = current;
        error = string.Empty;
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("uri", out var uri) || uri.ValueKind != JsonValueKind.String)
        {
            error = "notification.endpoint must be an object with uri.";
            return false;
        }

        if (!Uri.TryCreate(uri.GetString(), UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
        {
            error = "notification.endpoint.uri must be an absolute http or https URI (only HTTP POST notifications are supported).";
            return false;
        }

        var accept = "application/json";
        foreach (var member in value.EnumerateObject())
        {
            switch (member.Name)
            {
                case "uri":
                    break;
                case "accept":
                    accept = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString()! : string.Empty;
                    if (accept is not ("application/json" or "application/ld+json"))
                    {
                        error = "notification.endpoint.accept must be application/json or application/ld+json.";
                        return false;
                    }

                    break;
                default:
                    error = $"notification.endpoint has an unsupported member '{member.Name}' (uri, accept).";
                    return false;
            }
        }

        next = current with { EndpointUri = parsed.AbsoluteUri, Accept = accept };
        return true;
    }

    private static bool TryNames(JsonElement value, string what, out string[]? names, out string error)
    {
        names = null;
        error = string.Empty;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > MaxItems
            || value.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.String || n.GetString()!.Length is 0 or > 256))
        {
            error = $"{what} must be an array of 1 to {MaxItems} attribute names.";
            return false;
        }

        names = value.EnumerateArray().Select(n => ShortName(n.GetString()!)).Distinct(StringComparer.Ordinal).ToArray();
        return true;
    }

    private static bool TryText(JsonElement value, string what, out string? text, out string error)
    {
        text = null;
        error = string.Empty;
        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length > MaxText)
        {
            error = $"{what} must be a string of at most {MaxText} characters.";
            return false;
        }

        text = value.GetString();
        return true;
    }

    /// <summary>The body's @context when it names one URL (or a list whose first item is one), else null.</summary>
    private static string? ContextOf(JsonElement body) =>
        body.TryGetProperty("@context", out var context) ? context.ValueKind switch
        {
            JsonValueKind.String => context.GetString(),
            JsonValueKind.Array => context.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()).FirstOrDefault(),
            _ => null,
        } : null;

    /// <summary>
    /// Types and attributes are compared by their short name: the term a context maps to an IRI, or the IRI's last
    /// segment (no JSON-LD expansion here; docs/sharing.md).
    /// </summary>
    public static string ShortName(string name)
    {
        if (!name.Contains("://", StringComparison.Ordinal) && !name.StartsWith("urn:", StringComparison.Ordinal))
        {
            return name;
        }

        var cut = name.LastIndexOfAny(['/', '#', ':']);
        return cut >= 0 && cut < name.Length - 1 ? name[(cut + 1)..] : name;
    }

    private static bool IsUri(string text) => text.Length <= MaxText && Uri.TryCreate(text, UriKind.Absolute, out _);
}
