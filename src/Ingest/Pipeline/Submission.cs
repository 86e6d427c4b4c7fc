using CitySense.Ingest.Decoding;

namespace CitySense.Ingest.Pipeline;

/// <summary>
/// A message taken by the <see cref="IngestPipeline"/>: what decoding made of it, and a task that completes once its
/// readings are applied to the grains (already complete when the message added nothing to apply).
/// </summary>
public readonly record struct Submission(DecodeResult Result, Task Applied);
