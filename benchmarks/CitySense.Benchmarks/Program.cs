using BenchmarkDotNet.Running;
using CitySense.Benchmarks.Infrastructure;

// Every suite runs with the same configuration (memory diagnoser, Op/s, min/median/max, JSON export):
//   dotnet run -c Release --project benchmarks/CitySense.Benchmarks -- --filter '*' --job short
// "sizes" prints the payload and line-protocol sizes the suites work on (bytes per reading, bytes per line).
// "boundaries" shows which segment-boundary placements make the decoder allocate.
if (args.Length > 0 && args[0] == "sizes")
{
    Sizes.Print(Console.Out);
    return 0;
}

if (args.Length > 0 && args[0] == "boundaries")
{
    BoundaryProbe.Print(Console.Out);
    return 0;
}

if (args.Length > 0 && args[0] == "influx-write")
{
    return await CitySense.Benchmarks.Output.InfluxWriteRun.RunAsync(args);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, new BenchmarkConfig());
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
