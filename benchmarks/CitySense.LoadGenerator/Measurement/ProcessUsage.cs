using System.Diagnostics;

namespace CitySense.LoadGenerator.Measurement;

/// <summary>
/// What the generator itself cost, so a reader can tell whether it, rather than the system under test, was the limit
/// on a 2-core machine: CPU time, peak working set, garbage collections and bytes allocated since <see cref="Start"/>.
/// </summary>
public sealed class ProcessUsage
{
    private readonly TimeSpan _cpu0;
    private readonly int _gen0;
    private readonly int _gen1;
    private readonly int _gen2;
    private readonly long _allocated0;

    private ProcessUsage()
    {
        using var process = Process.GetCurrentProcess();
        _cpu0 = process.TotalProcessorTime;
        _gen0 = GC.CollectionCount(0);
        _gen1 = GC.CollectionCount(1);
        _gen2 = GC.CollectionCount(2);
        _allocated0 = GC.GetTotalAllocatedBytes();
    }

    public static ProcessUsage Start() => new();

    public UsageReport Stop(TimeSpan wall)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime - _cpu0;
        return new UsageReport(
            CpuSeconds: cpu.TotalSeconds,
            CpuCoresUsed: wall.TotalSeconds > 0 ? cpu.TotalSeconds / wall.TotalSeconds : 0,
            PeakWorkingSetMiB: process.PeakWorkingSet64 / (1024.0 * 1024.0),
            Gen0Collections: GC.CollectionCount(0) - _gen0,
            Gen1Collections: GC.CollectionCount(1) - _gen1,
            Gen2Collections: GC.CollectionCount(2) - _gen2,
            AllocatedMiB: (GC.GetTotalAllocatedBytes() - _allocated0) / (1024.0 * 1024.0));
    }
}
