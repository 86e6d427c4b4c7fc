namespace CitySense.Ingest.Health;

/// <summary>The "ingest" section of GET /health.</summary>
/// <param name="Rejected">Readings or messages rejected at decoding plus readings refused by their device grain.</param>
/// <param name="DroppedMessages">QoS 0 messages from an external broker dropped undecoded because ingest was past capacity.</param>
public sealed record IngestHealth(long Messages, long MessagesApplied, long ReadingsDecoded, long ReadingsApplied, long Rejected, long Batches, long FailedBatches, int QueuedBatches, long DroppedMessages);
