using CitySense.LoadGenerator.Health;
using CitySense.LoadGenerator.Measurement;
using CitySense.LoadGenerator.Options;
using CitySense.LoadGenerator.Publishing;
using CitySense.LoadGenerator.Subscribing;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

LoadOptions options;
bool countOnly;
try
{
    var arguments = new Arguments(args);
    countOnly = arguments.Flag("count-only-subscriber");
    options = LoadOptions.Parse(arguments);
    if ((countOnly || options.HealthUrl is not null) && arguments.OptionalString("duration") is null)
    {
        // A receiver waits for a publisher it does not control; it normally ends on --idle-exit.
        options = options with { Duration = TimeSpan.FromMinutes(10) };
    }

    if (arguments.Unused().ToList() is { Count: > 0 } unknown)
    {
        throw new ArgumentException($"Unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}. See --help.");
    }
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var output = Console.Out;
try
{
    if (countOnly)
    {
        var report = await new CountingSubscriber(options, output).RunAsync(cancel.Token);
        PrintReceive(report);
        ReportFile.Write(options.ReportJson, report);
    }
    else if (options.HealthUrl is not null)
    {
        var report = await new HealthWatcher(options, output).RunAsync(cancel.Token);
        PrintReceive(report);
        ReportFile.Write(options.ReportJson, report);
    }
    else
    {
        Console.WriteLine($"publishing to {options.Host}:{options.Port}: {options.Devices} devices, {options.Districts} districts, {options.Communities} communities, kinds {string.Join(',', options.Kinds)}, " +
            $"{(options.Gateway ? $"gateway messages of {options.GatewaySize}" : "single-reading messages")}, QoS {options.Qos}, {options.Publishers} publishers x {options.InFlight} in flight, " +
            $"rate {(options.Rate > 0 ? $"{options.Rate} readings/s" : "as fast as possible")}, {options.Duration.TotalSeconds} s");
        var report = await new LoadPublisher(options, output).RunAsync(cancel.Token);
        Console.WriteLine($"sent {report.Readings} readings in {report.Messages} messages over {report.Seconds:F2} s: {report.ReadingsPerSecond:F0} readings/s, {report.MessagesPerSecond:F0} messages/s, {report.Failures} failures");
        var l = report.Latency;
        Console.WriteLine($"publish latency ({report.LatencyMeaning}): p50 {l.P50Us:F0} us, p90 {l.P90Us:F0} us, p99 {l.P99Us:F0} us, p99.9 {l.P999Us:F0} us, max {l.MaxUs:F0} us");
        Console.WriteLine(report.Generator);
        ReportFile.Write(options.ReportJson, report);
    }
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}

return 0;

static void PrintReceive(ReceiveReport r)
{
    Console.WriteLine($"{r.Receiver}: {r.Readings} readings in {r.Messages} messages; {r.ReadingsPerSecond:F0} readings/s sustained over {r.ActiveSeconds:F2} s " +
        $"(first to last arrival), peak one-second {r.PeakReadingsPerSecondInOneSecond:F0} readings/s");
    if (r.Process is { } p)
    {
        Console.WriteLine(p);
    }
}
