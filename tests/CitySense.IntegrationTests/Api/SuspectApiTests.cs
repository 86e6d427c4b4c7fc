using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Api;

/// <summary>Suspect readings through the running silo: held out of every level's totals, then accepted or rejected by an operator.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SuspectApiTests
{
    private const long QuarterMs = 15 * 60_000;

    [Fact]
    public async Task A_burst_is_held_until_accepted_then_counted_at_every_level_and_a_misread_rejected_never_counts()
    {
        // An operator's key with a name: the audit trail says who decided.
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Keys:0:Key"] = "sus-operator-key-0123456789",
            ["Api:Keys:0:Name"] = "ops-anna",
            ["Api:Keys:0:Scopes:0"] = "read",
            ["Api:Keys:0:Scopes:1"] = "operate",
        });
        silo.Http.DefaultRequestHeaders.Add("X-Api-Key", "sus-operator-key-0123456789");
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (16 * QuarterMs);
        await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "sus-publisher"))
        {
            // Twelve quarter hours of 10 litres: the meters' usual rate is 0.04 m³/h.
            for (var i = 0; i <= 12; i++)
            {
                await Read(publisher, "sus-w1", start + (i * QuarterMs), 100m + (i * 0.01m));
                await Read(publisher, "sus-w2", start + (i * QuarterMs), 200m + (i * 0.01m));
            }
        }

        // w1 bursts: 30 m³, then carries on from there. w2 misreads once, then reads true again. Sent by Debian's
        // mosquitto_pub at QoS 1, a client CitySense did not write, once the baseline's publisher is gone.
        await MosquittoRead(silo, "sus-w1", start + (13 * QuarterMs), 130.12m);
        await MosquittoRead(silo, "sus-w1", start + (14 * QuarterMs), 130.13m);
        await MosquittoRead(silo, "sus-w2", start + (13 * QuarterMs), 250.12m);
        await MosquittoRead(silo, "sus-w2", start + (14 * QuarterMs), 200.13m);

        // One reading held: the next went on from the burst's level, which confirms it (docs/history.md §4).
        var held = await Suspects(silo, "sus-w1");
        Assert.Equal(["Held"], held.Select(s => s.GetProperty("state").GetString()));
        Assert.Equal("spike", held[0].GetProperty("reason").GetString());
        Assert.Equal(30m, held[0].GetProperty("step").GetDecimal());
        Assert.Equal(start + (14 * QuarterMs), held[0].GetProperty("levelConfirmedAtMs").GetInt64());
        // Held out: w1 counts its first twelve steps and the step after the burst, w2 its fourteen (the misread was held,
        // the next measured from before it).
        Assert.Equal(0.12m + 0.01m + 0.13m, await Consumption(silo, "/api/districts/sus-d/communities/sus-c"));

        var first = await silo.Http.PostAsJsonAsync($"/api/devices/sus-w1/suspects/{held[0].GetProperty("timestampMs").GetInt64()}/accept", new { comment = "burst confirmed on site" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var accepted = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Accepted", 30m, "ops-anna", "burst confirmed on site"),
            (accepted.GetProperty("state").GetString(), accepted.GetProperty("counted").GetDecimal(), accepted.GetProperty("decidedBy").GetString(), accepted.GetProperty("comment").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await silo.Http.PostAsync($"/api/devices/sus-w1/suspects/{held[0].GetProperty("timestampMs").GetInt64()}/accept", null)).StatusCode);

        var misread = (await Suspects(silo, "sus-w2")).Single();
        var rejected = await silo.Http.PostAsync($"/api/devices/sus-w2/suspects/{misread.GetProperty("timestampMs").GetInt64()}/reject", null);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(0m, (await rejected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("counted").GetDecimal());
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.PostAsync("/api/devices/sus-w2/suspects/12345/accept", null)).StatusCode);

        // Every level now counts what the registers moved, less the misread.
        foreach (var area in new[] { "/api/districts/sus-d/communities/sus-c", "/api/districts/sus-d", "/api/city" })
        {
            Assert.Equal(30.13m + 0.13m, await Consumption(silo, area));
        }

        // The burst is in its own hour, where it arrived.
        var burstHour = (await silo.GetJsonAsync("/api/districts/sus-d/communities/sus-c/history?kind=water&step=1h"))!.Value.GetProperty("points").EnumerateArray()
            .Single(p => p.GetProperty("startMs").GetInt64() <= start + (13 * QuarterMs) && p.GetProperty("endMs").GetInt64() > start + (13 * QuarterMs));
        Assert.True(burstHour.GetProperty("consumption").GetDecimal() >= 30m);
        Assert.True(burstHour.GetProperty("suspects").GetInt64() >= 1);
        var trail = await silo.GetJsonAsync("/api/districts/sus-d/communities/sus-c/suspects");
        Assert.Equal(2, trail!.Value.GetArrayLength());
    }

    private static async Task Read(Publisher publisher, string device, long ts, decimal total) =>
        await publisher.PublishAsync($"city/sus-d/sus-c/water/{device}", $$"""{"ts":{{ts}},"total":{{total.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""");

    private static Task MosquittoRead(CitySenseInstance silo, string device, long ts, decimal total) =>
        CitySense.IntegrationTests.Edge.OutsideClients.MosquittoPubAsync(silo.MqttPort, $"city/sus-d/sus-c/water/{device}",
            $$"""{"ts":{{ts}},"total":{{total.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""");

    private static async Task<List<JsonElement>> Suspects(CitySenseInstance silo, string device) =>
        (await silo.GetJsonAsync($"/api/devices/{device}/suspects"))!.Value.EnumerateArray().ToList();

    private static async Task<decimal> Consumption(CitySenseInstance silo, string area) =>
        (await silo.GetJsonAsync(area))!.Value.GetProperty("kinds").EnumerateArray().Single(k => k.GetProperty("kind").GetString() == "water").GetProperty("consumption").GetDecimal();
}
