using System.Diagnostics;
using System.Globalization;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using MQTTnet;
using Xunit;

namespace CitySense.IntegrationTests.Security;

/// <summary>Per-device token buckets on the embedded broker, end to end.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class RateLimitTests
{
    private const int RatePerSecond = 5;
    private const int Burst = 20;
    private const int BabblerMessages = 400;
    private const int QuietReadings = 10;

    [Fact]
    public async Task A_babbling_device_is_held_to_its_rate_and_a_quiet_device_keeps_every_reading()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Ingest:DeviceRateLimit:MessagesPerSecond"] = RatePerSecond.ToString(CultureInfo.InvariantCulture),
            ["Ingest:DeviceRateLimit:Burst"] = Burst.ToString(CultureInfo.InvariantCulture),
        });
        var start = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeMilliseconds();
        await using var babbler = await Publisher.ConnectAsync(silo.MqttPort, "babbler");
        await using var quiet = await Publisher.ConnectAsync(silo.MqttPort, "quiet");
        var clock = Stopwatch.StartNew();

        // The babbler fires everything at once (QoS 1, all in flight) while the quiet device reports one reading at a time.
        var babbling = Task.WhenAll(Enumerable.Range(0, BabblerMessages)
            .Select(i => babbler.PublishAsync("city/rl/c1/water/rl-babbler", Reading(start + i, i))));
        var quietCodes = new List<MqttClientPublishReasonCode>();
        for (var i = 0; i < QuietReadings; i++)
        {
            quietCodes.Add(await quiet.PublishAsync("city/rl/c1/water/rl-quiet", Reading(start + i * 1000, i)));
        }

        var babblerCodes = await babbling;
        var elapsedSeconds = clock.Elapsed.TotalSeconds;

        Assert.All(quietCodes, code => Assert.True(code is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers, $"PUBACK {code}"));
        Assert.Equal(QuietReadings, (await silo.GetJsonAsync("/api/devices/rl-quiet"))!.Value.GetProperty("accepted").GetInt64());

        var admitted = babblerCodes.Count(c => c is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers);
        var limited = babblerCodes.Count(c => c == MqttClientPublishReasonCode.QuotaExceeded);
        Assert.Equal(BabblerMessages, admitted + limited);
        Assert.InRange(admitted, Burst, Burst + (int)Math.Ceiling(RatePerSecond * elapsedSeconds) + 1);
        Assert.Equal(admitted, (await silo.GetJsonAsync("/api/devices/rl-babbler"))!.Value.GetProperty("accepted").GetInt64());

        var rejections = (await silo.GetJsonAsync("/api/rejections"))!.Value;
        Assert.Equal(limited, rejections.GetProperty("byReason").GetProperty("rate-limited").GetInt64());
        Assert.Equal(limited, rejections.GetProperty("byCommunity").GetProperty("rl/c1").GetProperty("rate-limited").GetInt64());
        var security = (await silo.GetJsonAsync("/api/security"))!.Value;
        Assert.Equal(limited, security.GetProperty("refused").GetProperty("device-rate-limited").GetInt64());
        Assert.Equal(RatePerSecond, security.GetProperty("deviceRateLimit").GetProperty("messagesPerSecond").GetDouble());
    }

    private static string Reading(long ts, int total) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"ts":{{ts}},"total":{{total}}}""");
}
