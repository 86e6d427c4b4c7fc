namespace CitySense.Contracts.Subscriptions;

/// <summary>One item of a subscription's <c>entities</c>: a type, and an exact id or an id pattern (a regular expression).</summary>
[GenerateSerializer, Immutable]
public sealed record EntitySelector(
    [property: Id(0)] string? Type,
    [property: Id(1)] string? EntityId,
    [property: Id(2)] string? IdPattern);
