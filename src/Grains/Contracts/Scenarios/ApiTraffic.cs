namespace CitySense.Contracts.Scenarios;

/// <summary>
/// One API node's request counts since it started, for the data-sharing scenario: each node hands its own with every
/// scenario call it makes.
/// </summary>
/// <param name="Node">The API process ("{machine}:{pid}").</param>
/// <param name="Asked">Requests to /api/... received.</param>
/// <param name="Answered">Of those, answered with a status below 500 other than 429 (refused or failed ones are not).</param>
[GenerateSerializer, Immutable]
public sealed record ApiTraffic(
    [property: Id(0)] string Node,
    [property: Id(1)] long Asked,
    [property: Id(2)] long Answered,
    [property: Id(3)] long AtMs)
{
    public static readonly ApiTraffic None = new(string.Empty, 0, 0, 0);
}
