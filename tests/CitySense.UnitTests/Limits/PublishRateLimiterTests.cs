using CitySense.Contracts.Telemetry;
using CitySense.Ingest;
using CitySense.Ingest.Limits;
using CitySense.Ingest.Rejections;
using CitySense.Ingest.Security;
using CitySense.UnitTests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using CitySense.Ingest.Settings;

namespace CitySense.UnitTests.Limits;

public sealed class PublishRateLimiterTests
{
    private const string Babbler = "city/d1/c1/water/babbler";
    private const string Quiet = "city/d1/c1/water/quiet";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(DecoderHarness.NowMs));
    private readonly RejectionLog _rejections;
    private readonly SecurityLog _security;

    public PublishRateLimiterTests()
    {
        _rejections = new RejectionLog(Microsoft.Extensions.Options.Options.Create(new IngestOptions()), _time, NullLogger<RejectionLog>.Instance, TestMeters.Factory);
        _security = new SecurityLog(_time, NullLogger<SecurityLog>.Instance, TestMeters.Factory);
    }

    [Fact]
    public void A_device_gets_its_burst_then_its_rate_and_its_excess_is_refused_and_counted()
    {
        var limiter = Limiter(device: (2, 5), connection: (0, 0));

        var admitted = Enumerable.Range(0, 20).Count(_ => limiter.Admit(Babbler, "babbler") == RateLimitVerdict.Admitted);
        Assert.Equal(5, admitted);

        _time.Advance(TimeSpan.FromSeconds(1));
        var afterOneSecond = Enumerable.Range(0, 20).Count(_ => limiter.Admit(Babbler, "babbler") == RateLimitVerdict.Admitted);
        Assert.Equal(2, afterOneSecond);

        Assert.Equal(33, _rejections.Count(RejectionReason.RateLimited));
        Assert.Equal(33, _rejections.ByCommunity()["d1/c1"]["rate-limited"]);
        Assert.Equal(33, _security.Count(SecurityReason.DeviceRateLimited));
        Assert.Equal("babbler", _rejections.Recent()[0].Device);
    }

    [Fact]
    public void A_babbling_device_costs_a_quiet_device_nothing()
    {
        var limiter = Limiter(device: (1, 3), connection: (0, 0));

        for (var i = 0; i < 10_000; i++)
        {
            limiter.Admit(Babbler, "babbler");
        }

        Assert.Equal(RateLimitVerdict.Admitted, limiter.Admit(Quiet, "quiet"));
        Assert.Equal(RateLimitVerdict.Admitted, limiter.Admit(Quiet, "quiet"));
        Assert.Equal(RateLimitVerdict.Admitted, limiter.Admit(Quiet, "quiet"));
        Assert.Equal(RateLimitVerdict.DeviceLimited, limiter.Admit(Quiet, "quiet"));
    }

    [Fact]
    public void A_connection_that_sprays_many_topics_is_held_to_the_connection_limit()
    {
        var limiter = Limiter(device: (1, 1), connection: (10, 50));

        var verdicts = Enumerable.Range(0, 200).Select(i => limiter.Admit($"city/d1/c1/env/e{i}", "sprayer")).ToList();

        Assert.Equal(50, verdicts.Count(v => v == RateLimitVerdict.Admitted));
        Assert.Equal(150, verdicts.Count(v => v == RateLimitVerdict.ConnectionLimited));
        Assert.Equal(150, _security.Count(SecurityReason.ConnectionRateLimited));
        Assert.Equal(RateLimitVerdict.Admitted, limiter.Admit("city/d1/c1/env/other", "another-connection"));
    }

    [Fact]
    public void A_connection_that_reconnects_gets_a_new_connection_bucket_but_its_device_bucket_stays_empty()
    {
        var limiter = Limiter(device: (1, 2), connection: (1, 2));
        limiter.Admit(Babbler, "c");
        limiter.Admit(Babbler, "c");

        limiter.Forget("c");

        Assert.Equal(RateLimitVerdict.DeviceLimited, limiter.Admit(Babbler, "c"));
        Assert.Equal(RateLimitVerdict.Admitted, limiter.Admit(Quiet, "c"));
    }

    [Fact]
    public void A_limit_of_zero_messages_per_second_is_no_limit()
    {
        var limiter = Limiter(device: (0, 0), connection: (0, 0));

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.Equal(RateLimitVerdict.Admitted, limiter.Admit(Babbler, "babbler")));
        Assert.Equal(0, _rejections.Total);
    }

    [Fact]
    public void A_rate_limited_topic_that_is_not_telemetry_is_counted_without_a_community()
    {
        var limiter = Limiter(device: (1, 1), connection: (0, 0));

        limiter.Admit("chat/room", "c");
        Assert.Equal(RateLimitVerdict.DeviceLimited, limiter.Admit("chat/room", "c"));

        Assert.Equal(1, _rejections.Count(RejectionReason.RateLimited));
        Assert.Empty(_rejections.ByCommunity());
    }

    private PublishRateLimiter Limiter((double Rate, int Burst) device, (double Rate, int Burst) connection)
    {
        var options = new IngestOptions
        {
            DeviceRateLimit = new RateLimitOptions { MessagesPerSecond = device.Rate, Burst = device.Burst },
            ConnectionRateLimit = new RateLimitOptions { MessagesPerSecond = connection.Rate, Burst = connection.Burst },
        };
        return new PublishRateLimiter(Microsoft.Extensions.Options.Options.Create(options), _rejections, _security, _time);
    }
}
