namespace CitySense.Grains.Placement;

/// <summary>
/// Places a grain keyed by a silo's address (<c>SiloAddress.ToParsableString</c>) on that silo: the one grain per silo
/// that takes the part of another silo's batch this silo owns (<see cref="Routing.ISiloIngestGrain"/>). When that silo
/// is gone it is placed on the calling silo, which is as correct (the grain only hands work to grains wherever they
/// are) and lets a retried batch through before membership catches up.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloPlacement : PlacementStrategy
{
    public static SiloPlacement Instance { get; } = new();
}
