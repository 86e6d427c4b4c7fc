using CitySense.Grains.Domain.Devices;
using Xunit;

namespace CitySense.UnitTests.Domain;

/// <summary>
/// RecentReadings keeps ts as 32-bit offsets (full values when they do not fit) and seqs as 16-bit offsets from the seq of
/// the newest reading, forgetting a kept seq that a newer reading leaves out of that reach and not keeping an older
/// reading's seq that is out of it: it must answer exactly as a plain list of the last 16 (ts, seq) pairs with that rule
/// does, whatever the device sends.
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
            var reference = new List<(long Ts, ulong Seq, bool HasSeq)>();
            var newestTs = long.MinValue;
            ulong referenceSeq = 0;
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

                // As the device calls it: newest when no reading before was newer (out-of-order patterns give both).
                var newest = ts >= newestTs;
                newestTs = Math.Max(newestTs, ts);
                packed.Add(ts, seq, hasSeq, newest);
                Add(reference, ref referenceSeq, ts, seq, hasSeq, newest);
            }
        }
    }

    [Fact]
    public void Is_128_bytes() => Assert.Equal(128, System.Runtime.CompilerServices.Unsafe.SizeOf<RecentReadings>());

    [Fact]
    public void A_seq_within_reach_of_the_newest_is_a_repeat_and_one_left_behind_by_a_jump_is_forgotten()
    {
        var recent = new RecentReadings();
        recent.Add(1_000, 100, hasSeq: true, newest: true);
        recent.Add(2_000, 101, hasSeq: true, newest: true);
        Assert.True(recent.Contains(9_000, 100, hasSeq: true));

        // The counter jumps 40 000 ahead (a gateway restarted with a new base): 100 and 101 are forgotten, their ts not.
        recent.Add(3_000, 40_101, hasSeq: true, newest: true);
        Assert.False(recent.Contains(9_000, 100, hasSeq: true));
        Assert.True(recent.Contains(1_000, 100, hasSeq: true));
        Assert.True(recent.Contains(9_000, 40_101, hasSeq: true));

        // Forgotten for good: coming back within reach does not bring them back.
        recent.Add(4_000, 130, hasSeq: true, newest: true);
        Assert.False(recent.Contains(9_000, 101, hasSeq: true));
        Assert.True(recent.Contains(9_000, 130, hasSeq: true));

        // 32 768 behind is still within reach; a reading without a seq moves nothing.
        recent.Add(5_000, 32_898, hasSeq: true, newest: true);
        recent.Add(6_000, 0, hasSeq: false, newest: true);
        Assert.True(recent.Contains(9_000, 130, hasSeq: true));
        Assert.False(recent.Contains(9_000, 131, hasSeq: true));

        // 32 767 ahead of the newest is within reach, 32 768 is not.
        var ahead = new RecentReadings();
        ahead.Add(1_000, 100_000, hasSeq: true, newest: true);
        ahead.Add(2_000, 67_233, hasSeq: true, newest: true);
        Assert.True(ahead.Contains(9_000, 100_000, hasSeq: true));
        ahead.Add(3_000, 67_232, hasSeq: true, newest: true);
        Assert.False(ahead.Contains(9_000, 100_000, hasSeq: true));
        // Nor is it kept as an offset that no longer means its seq (16 bits would wrap it to 32 768 behind).
        Assert.False(ahead.Contains(9_000, 34_464, hasSeq: true));
    }

    [Fact]
    public void A_late_reading_far_behind_keeps_no_seq_and_costs_the_others_none()
    {
        var recent = new RecentReadings();
        recent.Add(10_000, 100_000, hasSeq: true, newest: true);
        recent.Add(11_000, 100_001, hasSeq: true, newest: true);
        // A straggler from a backlog, its seq 40 000 back: known by its ts, not by its seq; the others keep theirs.
        recent.Add(5_000, 60_000, hasSeq: true, newest: false);
        Assert.True(recent.Contains(9_999, 100_000, hasSeq: true));
        Assert.True(recent.Contains(5_000, 1, hasSeq: true));
        Assert.False(recent.Contains(9_999, 60_000, hasSeq: true));
        // An older reading within reach keeps its seq.
        recent.Add(6_000, 99_990, hasSeq: true, newest: false);
        Assert.True(recent.Contains(9_999, 99_990, hasSeq: true));

        // 32 768 below the reference is within reach, 32 769 is not, and is not kept as a wrapped offset either.
        var behind = new RecentReadings();
        behind.Add(1_000, 67_232, hasSeq: true, newest: true);
        behind.Add(2_000, 100_000, hasSeq: true, newest: true);
        Assert.True(behind.Contains(9_000, 67_232, hasSeq: true));
        behind.Add(3_000, 100_001, hasSeq: true, newest: true);
        Assert.False(behind.Contains(9_000, 67_232, hasSeq: true));
        Assert.False(behind.Contains(9_000, 132_768, hasSeq: true));
    }

    [Fact]
    public void After_readings_without_a_seq_push_every_seq_out_the_next_seq_starts_afresh_wherever_it_is()
    {
        var recent = new RecentReadings();
        recent.Add(1_000, 5, hasSeq: true, newest: true);
        for (var i = 1; i <= RecentReadings.Size; i++)
        {
            recent.Add(1_000 + (i * 1_000), 0, hasSeq: false, newest: true);
        }

        Assert.False(recent.Contains(99_000, 5, hasSeq: true));
        // Not newest, far from the old reference: with no seq kept, it is the reference now.
        recent.Add(500, ulong.MaxValue - 3, hasSeq: true, newest: false);
        Assert.True(recent.Contains(99_000, ulong.MaxValue - 3, hasSeq: true));
        recent.Add(600, ulong.MaxValue - 40_000, hasSeq: true, newest: false);
        Assert.False(recent.Contains(99_000, ulong.MaxValue - 40_000, hasSeq: true));
        Assert.True(recent.Contains(600, 7, hasSeq: true));
    }

    /// <summary>
    /// The reference: the last RecentReadings.Size readings. A reading with a seq when none is kept, or a newest one, makes its seq the
    /// reference and forgets every kept seq out of 16 bits of it; an older one keeps its seq only within that reach.
    /// </summary>
    private static void Add(List<(long Ts, ulong Seq, bool HasSeq)> kept, ref ulong referenceSeq, long ts, ulong seq, bool hasSeq, bool newest)
    {
        if (kept.Count == RecentReadings.Size)
        {
            kept.RemoveAt(0);
        }

        var keepSeq = hasSeq;
        if (hasSeq && (newest || !kept.Any(k => k.HasSeq)))
        {
            referenceSeq = seq;
            for (var i = 0; i < kept.Count; i++)
            {
                if (kept[i].HasSeq && !WithinReach(kept[i].Seq, seq))
                {
                    kept[i] = kept[i] with { HasSeq = false };
                }
            }
        }
        else if (hasSeq)
        {
            keepSeq = WithinReach(seq, referenceSeq);
        }

        kept.Add((ts, seq, keepSeq));
    }

    private static bool WithinReach(ulong seq, ulong reference)
    {
        var distance = (Int128)seq - reference;
        return distance >= short.MinValue && distance <= short.MaxValue;
    }

    private static (long, ulong) Next(string pattern, Random random, long ts, ulong seq)
    {
        switch (pattern)
        {
            case "steady":
                return (ts + random.Next(-60_000, 120_000), seq + 1);
            case "daily":
                // Every few days: the kept readings (16, four days apart on average) span more than the offsets' reach.
                return (ts + 86_400_000L * random.Next(2, 7) + random.Next(-1000, 1000), seq + (ulong)random.Next(1, 3));
            case "hourly-strides":
                // Every few hours: the ts anchor moves while the kept readings still fit.
                return (ts + random.Next(1, 10) * 3_600_000L, seq + 1);
            case "seq-strides":
                // A seq that climbs fast: kept seqs near the edge of 16 bits from the newest, some past it.
                return (ts + 10_000, seq + (ulong)(random.Next(5) == 0 ? random.Next(1 << 14, 1 << 16) : random.Next(1, 1 << 12)));
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
