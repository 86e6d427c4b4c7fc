using CitySense.Contracts.Telemetry;

namespace CitySense.Contracts.Routing;

/// <summary>
/// A rejected reading whose community is known, so that it counts in that community's indicators. It is logged for
/// operators only once its message is settled, so a message rolled back as a whole is logged once, as a whole.
/// </summary>
public readonly record struct DecodedRejection(
    string District,
    string Community,
    string Kind,
    RejectionReason Reason,
    long ReceivedAtMs,
    string? Device,
    string Detail);
