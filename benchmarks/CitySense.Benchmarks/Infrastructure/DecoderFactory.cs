using System.Diagnostics.Metrics;
using CitySense.Ingest;
using CitySense.Ingest.Decoding;
using CitySense.Ingest.Rejections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using CitySense.Ingest.Settings;

namespace CitySense.Benchmarks.Infrastructure;

/// <summary>The decoder wired as CitySenseHost wires it (default IngestOptions, system clock), without a host.</summary>
public static class DecoderFactory
{
    private static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static TelemetryDecoder Create(IngestOptions? options = null)
    {
        var o = Options.Create(options ?? new IngestOptions());
        var rejections = new RejectionLog(o, TimeProvider.System, NullLogger<RejectionLog>.Instance, Meters);
        return new TelemetryDecoder(new AddressBook(new StringInterner()), rejections, o, TimeProvider.System);
    }

    public static IMeterFactory MeterFactory => Meters;
}
