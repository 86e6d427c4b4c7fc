using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;

namespace CitySense.Benchmarks.Infrastructure;

/// <summary>
/// The configuration of every suite. Operations are readings, lines or updates (OperationsPerInvoke), so Op/s reads
/// as readings/s (lines/s, updates/s) and Allocated as bytes per reading (per line, per update). The JSON export is
/// what check-allocations.sh compares with the budgets.
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        Add(DefaultConfig.Instance);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Min, StatisticColumn.Median, StatisticColumn.Max, StatisticColumn.OperationsPerSecond);
        AddExporter(JsonExporter.Full);
    }
}
