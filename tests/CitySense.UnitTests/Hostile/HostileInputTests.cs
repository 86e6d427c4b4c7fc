using System.Buffers;
using CitySense.Workload.Buffers;

namespace CitySense.UnitTests.Hostile;

/// <summary>Every case of the hostile corpus, whole and cut into segments, against the decoder's invariants.</summary>
[Collection(HostileCollection.Name)]
public sealed class HostileInputTests
{
    // Cutting at every point is quadratic in three segments: beyond this size, two segments, cut at each of the first
    // 256 bytes and at about 256 points spread over the rest.
    private const int EveryThreeWayCutUpTo = 120;

    public static TheoryData<string> Names => new(HostileCorpus.Cases().Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void A_hostile_input_is_rejected_with_a_reason_or_decoded_and_never_escapes_the_decoder(string name)
    {
        var (_, topic, payload) = HostileCorpus.Cases().Single(c => c.Name == name);
        var harness = DecoderInvariants.GrownHarness();

        DecoderInvariants.Check(harness, topic, new ReadOnlySequence<byte>(payload));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_hostile_input_decodes_the_same_wherever_mqtt_cuts_it(string name)
    {
        var (_, topic, payload) = HostileCorpus.Cases().Single(c => c.Name == name);
        var harness = DecoderInvariants.GrownHarness();
        var whole = DecoderInvariants.Check(harness, topic, new ReadOnlySequence<byte>(payload));

        var cuts = payload.Length <= EveryThreeWayCutUpTo
            ? SegmentedSequence.EverySplit(payload)
            : Enumerable.Range(0, payload.Length + 1)
                .Where(i => i < 256 || i % Math.Max(1, payload.Length / 256) == 0 || i == payload.Length)
                .Select(i => ($"[{i}]", SegmentedSequence.Of(payload, i)));
        foreach (var (at, sequence) in cuts)
        {
            var cut = DecoderInvariants.Check(harness, topic, sequence);
            Assert.True(whole == cut, $"{name}, cut at {at}:\n  whole: {whole}\n  cut:   {cut}");
        }
    }

    [Fact]
    public void The_corpus_covers_both_outcomes_and_many_reasons()
    {
        var harness = DecoderInvariants.GrownHarness();
        var decoded = 0;
        foreach (var (_, topic, payload) in HostileCorpus.Cases())
        {
            var outcome = DecoderInvariants.Check(harness, topic, new ReadOnlySequence<byte>(payload));
            decoded += outcome.StartsWith("DecodeResult { Accepted = 0,", StringComparison.Ordinal) ? 0 : 1;
        }

        // Some hostile-looking inputs are fine (a tiny number, a gateway element that is valid among broken ones).
        Assert.InRange(decoded, 1, HostileCorpus.Cases().Count() - 1);

        // A corpus that only ever hit one reason would test one path: it reaches at least these.
        var reasons = harness.Rejections.ByReason();
        foreach (var reason in (string[])["unknown-topic", "invalid-id", "payload-too-large", "not-json", "bad-encoding", "not-an-object",
                     "not-an-array", "too-many-readings", "invalid-ts", "wrong-type", "not-finite", "too-many-metrics", "duplicate-key", "no-metrics"])
        {
            Assert.True(reasons.ContainsKey(reason), $"no case of the corpus is rejected as {reason}");
        }
    }
}
