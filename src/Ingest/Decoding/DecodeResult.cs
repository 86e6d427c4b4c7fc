using CitySense.Contracts.Telemetry;

namespace CitySense.Ingest.Decoding;

/// <summary>
/// What one message contributed: readings appended to the batch, and readings (or whole messages) rejected.
/// <paramref name="FirstRejection"/> is the reason of the message's first rejection (<see cref="RejectionReason.None"/>
/// when nothing was rejected): the embedded broker tells a publisher why in its PUBACK.
/// </summary>
public readonly record struct DecodeResult(int Accepted, int Rejected, RejectionReason FirstRejection = RejectionReason.None)
{
    /// <summary>Nothing in the message was accepted and something was refused: its outcome is decided at decoding.</summary>
    public bool RefusedWhole => Accepted == 0 && Rejected > 0;
}
