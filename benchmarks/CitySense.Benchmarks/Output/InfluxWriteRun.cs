using System.Diagnostics;
using System.Globalization;
using CitySense.Benchmarks.Infrastructure;
using CitySense.Benchmarks.LineProtocol;
using CitySense.Output;
using CitySense.Output.LineProtocol;
using CitySense.Output.Writing;

namespace CitySense.Benchmarks.Output;

/// <summary>
/// "influx-write": writes community window points through the real <see cref="InfluxLineWriter"/> to a running server,
/// in requests of at most --batch-bytes, optionally gzipped, one request at a time (as the sink does), and prints one
/// JSON line: lines/s and this process's CPU per line. benchmarks/influx-batch.sh runs it against VictoriaMetrics.
/// Not a BenchmarkDotNet suite: it needs a server, and CI's short job runs without one.
/// </summary>
public static class InfluxWriteRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? url = null;
        int lines = 200_000, batchBytes = 512 * 1024;
        var gzip = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--url": url = args[++i]; break;
                case "--lines": lines = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch-bytes": batchBytes = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--gzip": gzip = true; break;
                default: Console.Error.WriteLine($"influx-write: unknown option {args[i]}"); return 2;
            }
        }

        if (url is null)
        {
            Console.Error.WriteLine("influx-write: --url is required");
            return 2;
        }

        // Distinct timestamps per round so every point is new to the server.
        var points = LinePoints.Windows(MessageSets.City(), Math.Min(lines, 1_000));
        var requests = Build(points, lines, batchBytes);
        await using var writer = new InfluxLineWriter(new InfluxOptions { Url = url, Gzip = gzip, BatchBytes = batchBytes });
        // One request first, outside the measurement: connection set-up and JIT.
        await writer.WriteAsync([requests[0]], requests[0].Length, CancellationToken.None);
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var written = 0L;
        for (var r = 1; r < requests.Count; r++)
        {
            await writer.WriteAsync([requests[r]], requests[r].Length, CancellationToken.None);
        }

        clock.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        written = lines - LinesIn(requests[0]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"batchBytes\":{batchBytes},\"gzip\":{(gzip ? "true" : "false")},\"requests\":{requests.Count - 1},\"lines\":{written},\"seconds\":{clock.Elapsed.TotalSeconds:0.###},\"linesPerSecond\":{written / clock.Elapsed.TotalSeconds:0},\"clientCpuUsPerLine\":{cpu * 1e6 / written:0.00}}}"));
        return 0;
    }

    /// <summary>Splits <paramref name="lines"/> points (cycled, shifted in time per cycle) into request bodies at line boundaries.</summary>
    private static List<ReadOnlyMemory<byte>> Build(WindowPoint[] points, int lines, int batchBytes)
    {
        using var builder = new LineBuilder(lines * 512);
        var ends = new int[lines];
        for (var i = 0; i < lines; i++)
        {
            var p = points[i % points.Length];
            builder.Measurement("citysense_community").Tag("district", p.District).Tag("community", p.Community).Tag("kind", p.Kind)
                .Field("accepted", p.Accepted).Field("rejected", p.Rejected).Field("devices_reporting", p.DevicesReporting).Field("devices_total", p.DevicesTotal);
            if (p.HasRegister)
            {
                builder.Field("consumption", p.Consumption).Field("consumption_total", p.ConsumptionTotal);
            }

            foreach (var m in p.Metrics)
            {
                builder.Field(m.Name + "_count", m.Count).Field(m.Name + "_min", m.Min).Field(m.Name + "_max", m.Max).Field(m.Name + "_mean", m.Mean).Field(m.Name + "_latest", m.Latest);
            }

            builder.End(p.StartMs + (i / points.Length) * 60_000L);
            ends[i] = builder.Written.Length;
        }

        var all = builder.Written;
        var requests = new List<ReadOnlyMemory<byte>>();
        var start = 0;
        for (var i = 0; i < lines; i++)
        {
            // Close the request before the line that would take it past the bound.
            if (ends[i] - start > batchBytes && i > 0 && ends[i - 1] > start)
            {
                requests.Add(all[start..ends[i - 1]].ToArray());
                start = ends[i - 1];
            }
        }

        requests.Add(all[start..].ToArray());
        return requests;
    }

    private static int LinesIn(ReadOnlyMemory<byte> request) => request.Span.Count((byte)'\n');
}
