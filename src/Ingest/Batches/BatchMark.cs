namespace CitySense.Ingest.Batches;

/// <summary>How full a batch was before a message started decoding, to roll that message back.</summary>
internal readonly record struct BatchMark(int Readings, int Metrics, int Rejections);
