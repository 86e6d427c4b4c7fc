using System.Runtime.CompilerServices;
using CitySense.Ingest.Pipeline;
using CitySense.Ingest.Batches;

namespace CitySense.Benchmarks.Infrastructure;

/// <summary>
/// <see cref="ReadingBatch"/> is reused in production (the ingest worker resets it and the pipeline pools it), so its
/// arrays grow once. Reset is internal and src/ may not change for the benchmarks, so it is bound here by name at
/// JIT time (no reflection on the measured path); if it is renamed the suites fail at once instead of measuring
/// a batch that grows forever.
/// </summary>
public static class ReadingBatchAccess
{
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "Reset")]
    public static extern void Reset(ReadingBatch batch);
}
