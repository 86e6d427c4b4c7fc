using CitySense.Grains.Domain.Devices;
using Xunit;

namespace CitySense.UnitTests.Domain;

/// <summary>
/// RecentReadings keeps (ts, seq) as 32-bit offsets and falls back to full entries when they do not fit: it must answer
/// exactly as a plain list of the last 32 (ts, seq) pairs does, whatever the device sends.
/// </summary>
public sealed class RecentReadingsTests
{
    public static TheoryData<string> Patterns => ["steady", "daily", "hourly-strides", "seq-strides", "jumps", "seq-restarts", "extremes", "no-seq"];

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Answers_as_a_plain_list_of_the_last_readings(string pattern)
    {
        // A fixed seed per pattern (string hash codes change from process to process): a failure can be replayed.
        var random = new Random(pattern.Sum(c => c) * 31 + 20261126);
        for (var run = 0; run < 300; run++)
        {
            var packed = new RecentReadings();
            var reference = new Queue<(long Ts, ulong Seq, bool HasSeq)>();
            long ts = random.Next(4) == 0 ? long.MinValue + random.Next(1000) : 1_764_115_200_000;
            ulong seq = pattern == "extremes" && random.Next(2) == 0 ? ulong.MaxValue - 50 : (ulong)random.Next(0, 1000);
            for (var i = 0; i < 150; i++)
            {
                (ts, seq) = Next(pattern, random, ts, seq);
                var hasSeq = pattern != "no-seq" && random.Next(10) != 0;
                // Probe: a recent reading again (by ts or by seq), or something new.
                var probe = reference.Count > 0 && random.Next(3) == 0 ? reference.ElementAt(random.Next(reference.Count)) : (Ts: ts, Seq: seq, HasSeq: hasSeq);
                var probeTs = random.Next(2) == 0 ? probe.Ts : ts;
                var probeSeq = random.Next(2) == 0 ? probe.Seq : seq;
                Assert.Equal(Contains(reference, probeTs, probeSeq, hasSeq), packed.Contains(probeTs, probeSeq, hasSeq));
                Assert.Equal(Contains(reference, ts, seq, hasSeq), packed.Contains(ts, seq, hasSeq));

                packed.Add(ts, seq, hasSeq);
                reference.Enqueue((ts, seq, hasSeq));
                if (reference.Count > RecentReadings.Size)
                {
                    reference.Dequeue();
                }
            }
        }
    }

    private static (long, ulong) Next(string pattern, Random random, long ts, ulong seq)
    {
        switch (pattern)
        {
            case "steady":
                return (ts + random.Next(-60_000, 120_000), seq + 1);
            case "daily":
                // Once a day, sometimes a few days' gap: 32 readings span more than the offsets' reach.
                return (ts + 86_400_000L * random.Next(1, 4) + random.Next(-1000, 1000), seq + (ulong)random.Next(1, 3));
            case "hourly-strides":
                // Every few hours: the ts anchor moves while the kept readings still fit.
                return (ts + random.Next(1, 10) * 3_600_000L, seq + 1);
            case "seq-strides":
                // A seq that climbs fast: the seq base moves while the kept readings still fit.
                return (ts + 10_000, seq + (ulong)random.Next(1 << 24, 1 << 25));
            case "jumps":
                return (random.Next(10) == 0 ? ts + (long)(random.NextDouble() * 1e12) - 500_000_000_000 : ts + 10_000, seq + 1);
            case "seq-restarts":
                return (ts + 10_000, random.Next(15) == 0 ? (ulong)random.Next(0, 5) : random.Next(30) == 0 ? seq + (1UL << 33) : seq + 1);
            case "extremes":
                return (random.Next(8) switch
                {
                    0 => long.MaxValue - random.Next(100),
                    1 => long.MinValue + random.Next(100),
                    _ => ts + random.Next(-1000, 1000),
                }, random.Next(8) == 0 ? ulong.MaxValue - (ulong)random.Next(100) : unchecked(seq + 1));
            default:
                return (ts + 10_000, seq + 1);
        }
    }

    private static bool Contains(IEnumerable<(long Ts, ulong Seq, bool HasSeq)> kept, long ts, ulong seq, bool hasSeq) =>
        kept.Any(k => k.Ts == ts || (hasSeq && k.HasSeq && k.Seq == seq));
}
