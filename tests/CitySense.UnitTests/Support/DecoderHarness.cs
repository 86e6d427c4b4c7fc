using System.Buffers;
using CitySense.Contracts.Telemetry;
using CitySense.Ingest;
using CitySense.Ingest.Decoding;
using CitySense.Ingest.Pipeline;
using CitySense.Ingest.Rejections;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using CitySense.Ingest.Settings;
using CitySense.Ingest.Batches;

namespace CitySense.UnitTests.Support;

/// <summary>
/// A <see cref="TelemetryDecoder"/> wired as the silo wires it, with its clock frozen at <see cref="NowMs"/>
/// so that the timestamp rules (not before 2000, at most the clock skew ahead) can be hit to the millisecond.
/// </summary>
internal sealed class DecoderHarness
{
    /// <summary>2025-03-01T12:00:00Z in Unix milliseconds; a whole minute, so it is also a window start.</summary>
    public const long NowMs = 1_740_830_400_000;

    /// <summary>Ten minutes before <see cref="NowMs"/>: a plausible event time, written out in the JSON of tests.</summary>
    public const long EarlierMs = 1_740_829_800_000;

    public const string District = "north";
    public const string Community = "c1";
    public const string CommunityKey = "north/c1";
    public const string WaterTopic = "city/north/c1/water/w1";
    public const string GatewayTopic = "city/north/c1/gateway/gw1";

    public DecoderHarness(Action<IngestOptions>? configure = null, int internerCapacity = 4_000_000)
    {
        Options = new IngestOptions();
        configure?.Invoke(Options);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(NowMs));
        Rejections = new RejectionLog(options, Time, NullLogger<RejectionLog>.Instance, TestMeters.Factory);
        Addresses = new AddressBook(new StringInterner(internerCapacity));
        Decoder = new TelemetryDecoder(Addresses, Rejections, options, Time);
    }

    public IngestOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public RejectionLog Rejections { get; }

    public AddressBook Addresses { get; }

    public TelemetryDecoder Decoder { get; }

    public ReadingBatch Batch { get; } = new();

    public DecodeResult Decode(string topic, string singleQuotedJson) => Decode(topic, JsonPayload.Bytes(singleQuotedJson));

    public DecodeResult Decode(string topic, byte[] payload) => Decoder.Decode(topic, new ReadOnlySequence<byte>(payload), Batch);

    /// <summary>
    /// Asserts that everything decoded so far was refused for one reason: counted once in the log (also under the community)
    /// and carried in the batch as one rejection of the community, with no reading and no metric left behind.
    /// </summary>
    public void AssertOnlyRejection(RejectionReason reason, string kind)
    {
        Assert.Equal(1, Rejections.Count(reason));
        Assert.Equal(1, Rejections.Total);
        Assert.Equal(1, Rejections.ByCommunity()[CommunityKey][RejectionReasons.Name(reason)]);
        Assert.Equal(0, Batch.Count);
        Assert.Equal(0, Batch.MetricCount);
        var rejection = Assert.Single(Batch.Rejections);
        Assert.Equal((District, Community, kind, reason, NowMs), (rejection.District, rejection.Community, rejection.Kind, rejection.Reason, rejection.ReceivedAtMs));
    }
}
