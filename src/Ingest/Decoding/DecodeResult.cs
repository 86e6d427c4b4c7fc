namespace CitySense.Ingest.Decoding;

/// <summary>What one message contributed: readings appended to the batch, and readings (or whole messages) rejected.</summary>
public readonly record struct DecodeResult(int Accepted, int Rejected);
