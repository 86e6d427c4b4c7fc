namespace CitySense.Contracts.Subscriptions;

/// <summary>
/// One entity as it became after one change, rendered once as NGSI-LD (normalized) JSON by the silo that saw the change,
/// and queued for every subscription it matched. A string, not a document: queued many times, stored, and sent as is.
/// </summary>
/// <param name="ObservedAtMs">When the change happened (a reading's event time, an alarm step's time).</param>
[GenerateSerializer, Immutable]
public sealed record EntityChange(
    [property: Id(0)] string EntityId,
    [property: Id(1)] string EntityType,
    [property: Id(2)] long ObservedAtMs,
    [property: Id(3)] string Json);
