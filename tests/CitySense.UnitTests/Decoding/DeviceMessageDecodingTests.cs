using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Decoding;
using CitySense.Ingest.Pipeline;
using CitySense.UnitTests.Support;

namespace CitySense.UnitTests.Decoding;

public sealed class DeviceMessageDecodingTests
{
    private readonly DecoderHarness _harness = new();

    [Fact]
    public void A_device_reading_is_decoded_with_its_exact_timestamp_sequence_and_metrics_in_order()
    {
        var result = _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829800000,'seq':7,'total':1234.567,'flow':0.25,'temp':-3.5}");

        Assert.Equal(new DecodeResult(1, 0), result);
        var reading = Assert.Single(_harness.Batch.Readings.ToArray());
        Assert.Equal("north", reading.Address.District);
        Assert.Equal("c1", reading.Address.Community);
        Assert.Equal("water", reading.Address.Kind);
        Assert.Equal("w1", reading.Address.Device);
        Assert.Equal(1_740_829_800_000, reading.TimestampMs);
        Assert.True(reading.HasSeq);
        Assert.Equal(7UL, reading.Seq);
        Assert.Equal(DecoderHarness.NowMs, reading.ReceivedAtMs);
        Assert.Equal(
            [new MetricSample("total", 1234.567), new MetricSample("flow", 0.25), new MetricSample("temp", -3.5)],
            _harness.Batch.MetricsOf(reading).ToArray());
        Assert.Empty(_harness.Batch.Rejections);
        Assert.Equal(0, _harness.Rejections.Total);
    }

    [Fact]
    public void A_reading_without_seq_has_no_sequence_number()
    {
        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829800000,'total':1}");

        var reading = Assert.Single(_harness.Batch.Readings.ToArray());
        Assert.False(reading.HasSeq);
        Assert.Equal(0UL, reading.Seq);
    }

    [Fact]
    public void The_largest_unsigned_sequence_number_is_accepted()
    {
        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829800000,'seq':18446744073709551615,'total':1}");

        Assert.Equal(ulong.MaxValue, Assert.Single(_harness.Batch.Readings.ToArray()).Seq);
    }

    [Fact]
    public void Escaped_property_names_are_compared_and_interned_unescaped()
    {
        // "t\u0073" is "ts" and "fl\u006fw" is "flow" once unescaped; devices may escape any character.
        var result = _harness.Decode(DecoderHarness.WaterTopic, @"{'t\u0073':1740829800000,'fl\u006fw':2.5}");

        Assert.Equal(new DecodeResult(1, 0), result);
        var reading = Assert.Single(_harness.Batch.Readings.ToArray());
        Assert.Equal(1_740_829_800_000, reading.TimestampMs);
        var metric = Assert.Single(_harness.Batch.MetricsOf(reading).ToArray());
        Assert.Equal(new MetricSample("flow", 2.5), metric);
        Assert.Same(_harness.Addresses.Ids.Intern("flow"), metric.Name);
    }

    [Fact]
    public void Whitespace_around_and_inside_the_object_is_allowed()
    {
        var result = _harness.Decode(DecoderHarness.WaterTopic, " \r\n\t{ 'ts' : 1740829800000 ,\n 'total' : 1 }\n ");

        Assert.Equal(new DecodeResult(1, 0), result);
    }

    [Fact]
    public void Every_reading_of_a_known_device_shares_one_address()
    {
        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829800000,'total':1}");
        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829860000,'total':2}");

        var readings = _harness.Batch.Readings.ToArray();
        Assert.Equal(2, readings.Length);
        Assert.Same(readings[0].Address, readings[1].Address);
    }

    [Fact]
    public void Metrics_of_consecutive_readings_are_kept_apart_in_the_batch()
    {
        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829800000,'total':1,'flow':0.5}");
        _harness.Decode("city/north/c1/heat/h1", "{'ts':1740829800000,'energy':42}");

        var readings = _harness.Batch.Readings.ToArray();
        Assert.Equal([new MetricSample("total", 1), new MetricSample("flow", 0.5)], _harness.Batch.MetricsOf(readings[0]).ToArray());
        Assert.Equal([new MetricSample("energy", 42)], _harness.Batch.MetricsOf(readings[1]).ToArray());
        Assert.Equal(3, _harness.Batch.MetricCount);
    }

    [Fact]
    public void A_device_seen_under_another_community_gets_its_own_address_for_the_device_grain_to_judge()
    {
        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829800000,'total':1}");
        _harness.Decode("city/north/c2/water/w1", "{'ts':1740829800000,'total':1}");

        var readings = _harness.Batch.Readings.ToArray();
        Assert.Equal("c1", readings[0].Address.Community);
        Assert.Equal("c2", readings[1].Address.Community);
        Assert.NotSame(readings[0].Address, readings[1].Address);
    }

    [Fact]
    public void A_timestamp_exactly_at_the_allowed_clock_skew_is_accepted()
    {
        // NowMs + 5 min, the default MaxClockSkew.
        var result = _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740830700000,'total':1}");

        Assert.Equal(new DecodeResult(1, 0), result);
    }

    [Fact]
    public void A_timestamp_exactly_at_2000_01_01_is_accepted()
    {
        var result = _harness.Decode(DecoderHarness.WaterTopic, "{'ts':946684800000,'total':1}");

        Assert.Equal(new DecodeResult(1, 0), result);
    }

    [Fact]
    public void The_future_limit_follows_the_clock()
    {
        // One millisecond past the skew now, accepted once the clock has moved on by that millisecond.
        Assert.Equal(new DecodeResult(0, 1, RejectionReason.TimestampInFuture), _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740830700001,'total':1}"));

        _harness.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(new DecodeResult(1, 0), _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740830700001,'total':1}"));
        Assert.Equal(DecoderHarness.NowMs + 1, Assert.Single(_harness.Batch.Readings.ToArray()).ReceivedAtMs);
    }

    [Fact]
    public void As_many_metrics_as_allowed_are_accepted()
    {
        var metrics = string.Concat(Enumerable.Range(0, 32).Select(i => $",'m{i}':{i}"));

        var result = _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829800000" + metrics + "}");

        Assert.Equal(new DecodeResult(1, 0), result);
        Assert.Equal(32, _harness.Batch.MetricCount);
    }

    [Fact]
    public void A_malformed_message_after_a_good_one_leaves_the_good_reading_intact()
    {
        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829800000,'seq':1,'total':10.5,'flow':1}");

        var result = _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829860000,'seq':2,'total':11,'flow':");

        Assert.Equal(new DecodeResult(0, 1, RejectionReason.NotJson), result);
        var reading = Assert.Single(_harness.Batch.Readings.ToArray());
        Assert.Equal(1_740_829_800_000, reading.TimestampMs);
        Assert.Equal(1UL, reading.Seq);
        Assert.Equal([new MetricSample("total", 10.5), new MetricSample("flow", 1)], _harness.Batch.MetricsOf(reading).ToArray());
        Assert.Equal(2, _harness.Batch.MetricCount);
        var rejection = Assert.Single(_harness.Batch.Rejections);
        Assert.Equal(("north", "c1", "water", RejectionReason.NotJson, DecoderHarness.NowMs), (rejection.District, rejection.Community, rejection.Kind, rejection.Reason, rejection.ReceivedAtMs));
        Assert.Equal(1, _harness.Rejections.Count(RejectionReason.NotJson));
    }

    [Fact]
    public void A_rejected_reading_after_a_good_one_leaves_the_good_reading_intact()
    {
        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829800000,'total':10.5}");

        // Two metrics land in the batch before the third one fails the reading: they must be taken back out.
        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829860000,'a':1,'b':2,'c':'x'}");
        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829920000,'total':11}");

        var readings = _harness.Batch.Readings.ToArray();
        Assert.Equal(2, readings.Length);
        Assert.Equal([new MetricSample("total", 10.5)], _harness.Batch.MetricsOf(readings[0]).ToArray());
        Assert.Equal([new MetricSample("total", 11)], _harness.Batch.MetricsOf(readings[1]).ToArray());
        Assert.Equal(2, _harness.Batch.MetricCount);
        Assert.Equal(RejectionReason.WrongType, Assert.Single(_harness.Batch.Rejections).Reason);
    }

    [Fact]
    public void A_rejection_is_kept_for_operators_with_topic_device_reason_and_payload_excerpt()
    {
        _harness.Decoder.Decode(DecoderHarness.WaterTopic, JsonPayload.Sequence("{'total':1}"), _harness.Batch, clientId: "meter-7");

        var record = Assert.Single(_harness.Rejections.Recent());
        Assert.Equal("missing-ts", record.Reason);
        Assert.Equal(DecoderHarness.WaterTopic, record.Topic);
        Assert.Equal("meter-7", record.ClientId);
        Assert.Equal("w1", record.Device);
        Assert.Equal("{\"total\":1}", record.Excerpt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(DecoderHarness.NowMs), record.At);
    }
}
