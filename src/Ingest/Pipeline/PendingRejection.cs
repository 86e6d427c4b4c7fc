using CitySense.Contracts.Telemetry;

namespace CitySense.Ingest.Pipeline;

/// <summary>A rejected reading whose community is known, so that it counts in that community's indicators.</summary>
public readonly record struct PendingRejection(
    string District,
    string Community,
    string Kind,
    RejectionReason Reason,
    long ReceivedAtMs);
