using CitySense.Contracts.Indicators;
using CitySense.Grains.Domain.Devices;
using Xunit;

namespace CitySense.UnitTests.Domain;

/// <summary>
/// A full register track drops its oldest point before inserting a new one (so its list never doubles past
/// <see cref="RegisterTrack.MaxPoints"/>). That must give exactly what inserting first and dropping after gave: the
/// straightforward algorithm is kept here as the reference, and both take the same random out-of-order readings.
/// </summary>
public sealed class RegisterTrackCapTests
{
    [Theory]
    [InlineData(1, 60_000L, false)]
    [InlineData(2, 5_000L, false)]
    [InlineData(3, 300_000L, false)]
    [InlineData(4, 0L, false)]
    // Jitter (small falls, ignored) often: a point's baseline is then the one before it, which the track derives.
    [InlineData(5, 60_000L, true)]
    [InlineData(6, 300_000L, true)]
    [InlineData(7, 5_000L, true)]
    public void Dropping_before_the_insert_measures_every_reading_as_dropping_after_it(int seed, long keepAfterMs, bool jittery)
    {
        var rules = new RegisterOptions();
        var random = new Random(seed);
        for (var run = 0; run < 200; run++)
        {
            var track = new RegisterTrack(rules, 1000m);
            var reference = new ReferenceTrack(new RegisterTrack(rules, 1000m));
            var corrections = new List<(long, decimal)>();
            var expectedCorrections = new List<(long, decimal)>();
            long clock = 1_000_000;
            decimal register = random.Next(0, 1000);
            var seen = new HashSet<long>();
            for (var i = 0; i < 60; i++)
            {
                // Mostly forward in 10 s steps; sometimes an out-of-order reading up to 90 s back; rollovers and resets.
                clock += 10_000;
                var ts = random.Next(5) == 0 ? clock - random.Next(1, 90_000) : clock;
                if (!seen.Add(ts) || !track.CanPlace(ts))
                {
                    Assert.Equal(reference.CanPlace(ts), track.CanPlace(ts));
                    continue;
                }

                register = jittery && random.Next(3) == 0 ? Math.Max(0, register - random.Next(1, 11) / 1000m)
                    : random.Next(20) == 0 ? random.Next(0, 1000) : (register + random.Next(0, 3000) / 1000m) % 1000.001m;
                corrections.Clear();
                expectedCorrections.Clear();
                var delta = track.Add(ts, register, keepAfterMs, corrections);
                var expected = reference.Add(ts, register, keepAfterMs, expectedCorrections);

                Assert.Equal(expected, delta);
                Assert.Equal(expectedCorrections, corrections);
                Assert.Equal(reference.Baseline, track.Baseline);
                Assert.Equal(reference.Value, track.Value);
                Assert.Equal(reference.CanPlace(clock - 200_000), track.CanPlace(clock - 200_000));
            }
        }
    }

    [Fact]
    public void A_changed_register_maximum_keeps_the_newest_point_and_older_readings_count_as_late()
    {
        var track = new RegisterTrack(new RegisterOptions(), 1000m);
        var corrections = new List<(long, decimal)>();
        track.Add(10_000, 990m, 300_000, corrections);
        track.Add(20_000, 995m, 300_000, corrections);
        track.Add(30_000, 998m, 300_000, corrections);
        Assert.True(track.CanPlace(15_000));

        track.Max = 9999m;

        // The points measured with the old maximum are gone: an out-of-order reading between them would be measured
        // against steps the new maximum would not give.
        Assert.False(track.CanPlace(25_000));
        Assert.True(track.CanPlace(30_000));
        Assert.Equal(998m, track.Baseline);
        // The next step is measured with the new maximum: 998 to 5 is no rollover under 9999 but a new baseline.
        Assert.Equal(0m, track.Add(40_000, 5m, 300_000, corrections));
        Assert.Equal(2m, track.Add(50_000, 7m, 300_000, corrections));
        Assert.Empty(corrections);
    }

    [Fact]
    public void A_jittered_newest_point_keeps_its_baseline_through_a_changed_maximum_and_dropped_points()
    {
        var track = new RegisterTrack(new RegisterOptions(), 1000m);
        var corrections = new List<(long, decimal)>();
        track.Add(10_000, 990m, 300_000, corrections);
        track.Add(20_000, 995m, 300_000, corrections);
        // A small fall is jitter: the baseline stays at 995, and the point keeps only that it was jitter.
        Assert.Equal(0m, track.Add(30_000, 994.995m, 300_000, corrections));
        Assert.Equal((994.995m, 995m), (track.Value, track.Baseline));

        // The points before the newest go; the newest's baseline comes from the dropped ones now.
        track.Max = 9999m;
        Assert.Equal((994.995m, 995m), (track.Value, track.Baseline));
        Assert.Equal(1m, track.Add(40_000, 996m, 300_000, corrections));

        // Dropped by the lateness bound instead (keep 0 ms: only the newest stays).
        var tight = new RegisterTrack(new RegisterOptions(), 1000m);
        tight.Add(10_000, 990m, 0, corrections);
        tight.Add(20_000, 995m, 0, corrections);
        tight.Add(30_000, 994.995m, 0, corrections);
        Assert.Equal(995m, tight.Baseline);
        Assert.Equal(0.5m, tight.Add(40_000, 995.5m, 0, corrections));
        Assert.Empty(corrections);
    }

    [Fact]
    public void A_late_reading_of_the_old_meter_counts_its_own_step_and_never_measures_the_new_meter_from_it()
    {
        var track = new RegisterTrack(new RegisterOptions(), 1000m);
        var corrections = new List<(long, decimal)>();
        track.Add(10_000, 100m, 300_000, corrections);
        Assert.Equal(5m, track.Add(20_000, 105m, 300_000, corrections));
        track.RecordReplacement();
        // The new meter starts at 200: a new baseline, no consumption.
        Assert.Equal(0m, track.Add(40_000, 200m, 300_000, corrections));

        // The old meter's reading from before the swap arrives late: its own step (105 → 107) counts; the new meter's
        // first reading is not measured from it (107 → 200 would be 93 that nobody used).
        Assert.Equal(2m, track.Add(30_000, 107m, 300_000, corrections));
        Assert.Empty(corrections);
        Assert.Equal(1m, track.Add(50_000, 201m, 300_000, corrections));
        Assert.Empty(corrections);
    }

    [Fact]
    public void An_older_reading_before_a_meter_s_first_one_measures_the_first_one_from_it()
    {
        var track = new RegisterTrack(new RegisterOptions(), 1000m);
        var corrections = new List<(long, decimal)>();
        Assert.Equal(0m, track.Add(20_000, 105m, 300_000, corrections));

        // The same meter, read earlier: the step between the two readings is real consumption, in the later one's window.
        Assert.Equal(0m, track.Add(10_000, 100m, 300_000, corrections));
        Assert.Equal([(20_000L, 5m)], corrections);
    }

    /// <summary>RegisterTrack.Add as it was: insert, measure again, then drop what the bounds say.</summary>
    private sealed class ReferenceTrack(RegisterTrack steps)
    {
        private readonly List<(long Ts, decimal Raw, decimal Baseline, decimal Delta)> _points = [];
        private bool _capped;

        public decimal? Value => _points.Count == 0 ? null : _points[^1].Raw;

        public decimal? Baseline => _points.Count == 0 ? null : _points[^1].Baseline;

        public bool CanPlace(long ts) => !_capped || _points.Count == 0 || ts >= _points[0].Ts;

        public decimal Add(long ts, decimal value, long keepAfterMs, List<(long, decimal)> corrections)
        {
            var index = _points.Count;
            while (index > 0 && _points[index - 1].Ts > ts)
            {
                index--;
            }

            (long Ts, decimal Raw, decimal Baseline, decimal Delta) point;
            if (index == 0)
            {
                point = (ts, value, value, 0);
            }
            else
            {
                var step = steps.Step(_points[index - 1].Baseline, value);
                point = (ts, value, step.Baseline, step.Delta);
            }

            _points.Insert(index, point);
            var baseline = point.Baseline;
            for (var i = index + 1; i < _points.Count; i++)
            {
                var next = _points[i];
                var step = steps.Step(baseline, next.Raw);
                if (step.Delta == next.Delta && step.Baseline == next.Baseline)
                {
                    break;
                }

                _points[i] = (next.Ts, next.Raw, step.Baseline, step.Delta);
                if (step.Delta != next.Delta)
                {
                    corrections.Add((next.Ts, step.Delta - next.Delta));
                }

                baseline = step.Baseline;
            }

            var cutoff = _points[^1].Ts - keepAfterMs;
            var drop = 0;
            while (drop < _points.Count - 1 && _points[drop + 1].Ts < cutoff)
            {
                drop++;
            }

            if (_points.Count - drop > RegisterTrack.MaxPoints)
            {
                drop = _points.Count - RegisterTrack.MaxPoints;
                _capped = true;
            }

            _points.RemoveRange(0, drop);
            return point.Delta;
        }
    }
}
