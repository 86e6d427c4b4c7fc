namespace CitySense.LoadGenerator.Measurement;

/// <summary>What a load-generator process cost over a run (see <see cref="ProcessUsage"/>).</summary>
public sealed record UsageReport(double CpuSeconds, double CpuCoresUsed, double PeakWorkingSetMiB, int Gen0Collections, int Gen1Collections, int Gen2Collections, double AllocatedMiB)
{
    public override string ToString() =>
        $"process CPU {CpuSeconds:F2} s ({CpuCoresUsed:F2} cores), peak working set {PeakWorkingSetMiB:F0} MiB, GC gen0/1/2 {Gen0Collections}/{Gen1Collections}/{Gen2Collections}, allocated {AllocatedMiB:F0} MiB";
}
