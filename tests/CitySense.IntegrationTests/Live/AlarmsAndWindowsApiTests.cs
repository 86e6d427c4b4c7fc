using System.Globalization;
using System.Net;
using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CitySense.IntegrationTests.Live;

/// <summary>GET /api/alarms (fed by ILiveFeed.AlarmChanged), ?windows=N, and what subscribers get for alarms.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class AlarmsAndWindowsApiTests
{
    [Fact]
    public async Task Alarms_are_listed_while_active_filtered_by_area_and_kept_as_recent_events_once_cleared()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>());
        await using var critical = await SseTestClient.ConnectAsync(silo.HttpPort, "?severity=critical");
        var feed = silo.Services.GetRequiredService<ILiveFeed>();
        var leak = Alarm("al-w1/leak/1", "al-d", "al-c", AlarmSeverity.Warning);
        var burst = Alarm("al-w2/burst/1", "al-d", "al-e", AlarmSeverity.Critical);
        var smoke = Alarm("al-s1/smoke/1", "al-x", "al-y", AlarmSeverity.Critical);
        feed.AlarmChanged(leak);
        feed.AlarmChanged(burst);
        feed.AlarmChanged(smoke);
        feed.AlarmChanged(leak with { State = AlarmState.Cleared, EndMs = 2_000 });

        await Wait.UntilAsync(async () => (await silo.GetJsonAsync("/api/alarms"))!.Value.GetProperty("recent").GetArrayLength() == 4, TimeSpan.FromSeconds(20), "four alarm events");
        var all = (await silo.GetJsonAsync("/api/alarms?active=true"))!.Value;
        Assert.Equal(["al-s1/smoke/1", "al-w2/burst/1"], all.GetProperty("active").EnumerateArray().Select(a => a.GetProperty("alarmId").GetString()).Order());
        Assert.Equal(0, all.GetProperty("recent").GetArrayLength());

        var district = (await silo.GetJsonAsync("/api/alarms?district=al-d"))!.Value;
        Assert.Equal(["al-w2/burst/1"], district.GetProperty("active").EnumerateArray().Select(a => a.GetProperty("alarmId").GetString()));
        Assert.Equal(["Cleared", "Raised", "Raised"], district.GetProperty("recent").EnumerateArray().Select(e => e.GetProperty("alarm").GetProperty("state").GetString()));
        var community = (await silo.GetJsonAsync("/api/alarms?district=al-d&community=al-c"))!.Value;
        Assert.Empty(community.GetProperty("active").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await silo.Http.GetAsync("/api/alarms?community=al-c")).StatusCode);

        // A subscriber asking for critical alarms only gets exactly those.
        await Wait.UntilAsync(() => Task.FromResult(critical.Received.Count(m => m.Type == "alarm") == 2), TimeSpan.FromSeconds(20), "the two critical alarms");
        Assert.All(critical.Received.Where(m => m.Type == "alarm"), m => Assert.Equal("Critical", m.Body.GetProperty("alarm").GetProperty("severity").GetString()));
        await using var late = await SseTestClient.ConnectAsync(silo.HttpPort, "?district=al-d");
        await Wait.UntilAsync(() => Task.FromResult(late.Received.Count >= 1), TimeSpan.FromSeconds(20), "the snapshot");
        Assert.Equal(["al-w2/burst/1"], late.Received[0].Body.GetProperty("alarms").EnumerateArray().Select(a => a.GetProperty("alarmId").GetString()));
    }

    [Fact]
    public async Task The_windows_parameter_returns_the_newest_n_windows_up_to_the_windows_kept()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Indicators:WindowsKept"] = "12",
            ["Indicators:CommunityWindowsKept"] = "7",
        });
        var start = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds() / 60_000 * 60_000;
        await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "wn-publisher"))
        {
            for (var minute = 0; minute < 14; minute++)
            {
                await publisher.PublishAsync("city/wn-d/wn-c/water/wn-w1",
                    string.Create(CultureInfo.InvariantCulture, $$"""{"ts":{{start + minute * 60_000 + 1_000}},"total":{{10 + minute}},"flow":0.5}"""));
            }
        }

        int Windows(System.Text.Json.JsonElement area) => area.GetProperty("kinds")[0].GetProperty("windows").GetArrayLength();
        Assert.Equal(10, Windows((await silo.GetJsonAsync("/api/city"))!.Value));
        Assert.Equal(3, Windows((await silo.GetJsonAsync("/api/city?windows=3"))!.Value));
        Assert.Equal(12, Windows((await silo.GetJsonAsync("/api/districts/wn-d?windows=12"))!.Value));
        var community = (await silo.GetJsonAsync("/api/districts/wn-d/communities/wn-c?windows=1"))!.Value;
        Assert.Equal(start + 13 * 60_000, community.GetProperty("kinds")[0].GetProperty("windows")[0].GetProperty("startMs").GetInt64());
        // A community keeps Indicators:CommunityWindowsKept (7 here, at least the 5 minutes of lateness and the current).
        Assert.Equal(7, Windows((await silo.GetJsonAsync("/api/districts/wn-d/communities/wn-c?windows=7"))!.Value));
        var tooMany = await silo.Http.GetAsync("/api/districts/wn-d/communities/wn-c?windows=8");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("Indicators:CommunityWindowsKept", await tooMany.Content.ReadAsStringAsync());
        foreach (var bad in new[] { "0", "13", "-1" })
        {
            var response = await silo.Http.GetAsync($"/api/city?windows={bad}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("invalid-windows", await response.Content.ReadAsStringAsync());
        }
    }

    private static AlarmEvent Alarm(string id, string district, string community, AlarmSeverity severity) =>
        new(id, id.Split('/')[1], severity, AlarmState.Raised, district, community, "water", id.Split('/')[0], 1_000, null, 1, 1, "test alarm");
}
