namespace CitySense.Contracts.Registry;

/// <summary>The outcome of a registry operation: the profile after it, or why it was refused.</summary>
[GenerateSerializer, Immutable]
public sealed record RegistryResult(
    [property: Id(0)] RegistryOutcome Outcome,
    [property: Id(1)] DeviceProfile? Profile,
    [property: Id(2)] string? Error);

public enum RegistryOutcome : byte
{
    Ok,
    NotFound,
    Conflict,
    Invalid,
}
