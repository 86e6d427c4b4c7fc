using CitySense.Contracts.Indicators;
using CitySense.Grains.Domain.Devices;

namespace CitySense.UnitTests.Domain;

/// <summary>Register points keep their raw values as doubles: every value a reading can carry must read back exactly.</summary>
public sealed class RegisterPointTests
{
    [Theory]
    [InlineData(0.001)]
    [InlineData(1234.567)]
    [InlineData(99_999_999.999)]
    [InlineData(1e11)]
    [InlineData(0.1 + 0.2)]
    [InlineData(123456.78901234567)]
    public void A_reading_value_reads_back_as_the_same_decimal(double reading)
    {
        var value = (decimal)reading;
        var point = new RegisterPoint(1, value, forced: false, jittered: false);

        Assert.Equal(value, point.Raw);
    }

    [Theory]
    [InlineData(1_767_225_600_123L, true, false)]
    [InlineData(1_767_225_600_123L, false, true)]
    [InlineData(1_767_225_600_123L, false, false)]
    [InlineData(0L, true, false)]
    [InlineData(-86_400_000L, true, false)]
    [InlineData(-1L, false, true)]
    [InlineData(-1_000_000_000_000_000L, false, true)]
    [InlineData(1_000_000_000_000_000L, true, false)]
    [InlineData(-1_152_921_504_606_846_975L, true, true)]
    public void The_timestamp_and_the_flags_share_a_field_and_all_read_back(long timestampMs, bool forced, bool jittered)
    {
        var point = new RegisterPoint(timestampMs, 12.5m, forced, jittered);

        Assert.Equal((timestampMs, forced, jittered, 12.5m), (point.TimestampMs, point.Forced, point.Jittered, point.Raw));
        var remeasured = point.Remeasured(new RegisterStep(1m, 12.5m, RegisterStepKind.Forward));
        Assert.Equal((timestampMs, false, false, 12.5m), (remeasured.TimestampMs, remeasured.Forced, remeasured.Jittered, remeasured.Raw));
        var jitter = point.Remeasured(new RegisterStep(0m, 12.51m, RegisterStepKind.Jitter));
        Assert.Equal((timestampMs, false, true, 12.5m), (jitter.TimestampMs, jitter.Forced, jitter.Jittered, jitter.Raw));
    }

    [Fact]
    public void A_point_is_16_bytes()
    {
        Assert.Equal(16, System.Runtime.CompilerServices.Unsafe.SizeOf<RegisterPoint>());
    }

    [Fact]
    public void Random_reading_values_read_back_as_the_same_decimals()
    {
        var random = new Random(20261126);
        for (var i = 0; i < 100_000; i++)
        {
            // Registers up to DeviceState.MaxRegister, at every scale from litres to whole cubic metres.
            var reading = random.NextDouble() * Math.Pow(10, random.Next(-3, 12));
            var value = (decimal)reading;
            Assert.True(RegisterPoint.Fits(value), $"{reading:R}");
            Assert.Equal(value, new RegisterPoint(1, value, forced: false, jittered: false).Raw);
        }
    }

    [Fact]
    public void A_value_with_more_than_15_significant_digits_is_refused_not_rounded()
    {
        var value = 1234567.8901234567m;

        Assert.False(RegisterPoint.Fits(value));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegisterPoint(1, value, forced: false, jittered: false));
    }

    [Fact]
    public void A_seeded_baseline_too_precise_for_a_point_is_taken_to_15_digits_and_measures_the_next_reading()
    {
        var track = new RegisterTrack(new RegisterOptions(), 1e9m);
        track.Seed(1_000, 100.00000000000001m);

        Assert.Equal(100m, track.Baseline);
        Assert.Equal(1m, track.Add(2_000, 101m, 60_000, []));
        Assert.Equal(101m, track.Baseline);
    }
}
