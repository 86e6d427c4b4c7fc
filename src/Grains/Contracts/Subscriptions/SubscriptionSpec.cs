namespace CitySense.Contracts.Subscriptions;

/// <summary>
/// An NGSI-LD subscription as the client defined it (docs/sharing.md): what to watch and where to notify. Validated by
/// the API before it is stored; everything here is plain data so that both grain storages (JSON files on a single node,
/// Orleans' serializer in Redis) keep it.
/// </summary>
/// <param name="Id">The subscription's URI (urn:ngsi-ld:Subscription:...).</param>
/// <param name="ThrottlingS">Least time between two notifications, in seconds; 0 for none.</param>
/// <param name="ExpiresAtMs">Unix ms after which nothing is notified; null for never.</param>
/// <param name="Accept">application/json or application/ld+json.</param>
/// <param name="NotifyAttributes">The attributes a notified entity carries (besides id and type); null or empty for all.</param>
[GenerateSerializer, Immutable]
public sealed record SubscriptionSpec(
    [property: Id(0)] string Id,
    [property: Id(1)] EntitySelector[] Entities,
    [property: Id(2)] string[]? WatchedAttributes,
    [property: Id(3)] string? Q,
    [property: Id(4)] double ThrottlingS,
    [property: Id(5)] long? ExpiresAtMs,
    [property: Id(6)] string EndpointUri,
    [property: Id(7)] string Accept,
    [property: Id(8)] string[]? NotifyAttributes,
    [property: Id(9)] bool IsActive,
    [property: Id(10)] long CreatedAtMs,
    [property: Id(11)] long ModifiedAtMs)
{
    [Id(12)] public string? Name { get; init; }

    [Id(13)] public string? Description { get; init; }

    /// <summary>The JSON-LD context notifications in application/ld+json carry (the one the subscription was made with).</summary>
    [Id(14)] public string? Context { get; init; }

    public bool ExpiredAt(long nowMs) => ExpiresAtMs is { } expires && expires <= nowMs;
}
