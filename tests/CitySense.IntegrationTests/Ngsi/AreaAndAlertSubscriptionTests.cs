using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Ngsi;

/// <summary>
/// Subscriptions to the entities that are not a device's: Alert (the alarm workflow's changes) and Community (its
/// indicators), fed by real MQTT readings and the operators' HTTP actions through a running silo.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AreaAndAlertSubscriptionTests
{
    private const string Key = "ngsi-alert-operator-key-0123456789";

    [Fact]
    public async Task A_subscription_to_Alert_gets_the_alarm_a_low_pressure_reading_raised_and_then_its_acknowledgement()
    {
        await using var silo = await StartAsync();
        await using var receiver = await WebhookReceiver.StartNewAsync();
        await Subscriptions.CreateAsync(silo.Http, $$$"""
            {"type": "Subscription", "entities": [{"type": "Alert"}], "q": "subCategory==\"pressure-low\"",
             "notification": {"endpoint": {"uri": "{{{receiver.Uri}}}"} } }
            """);
        var ts = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "na-publisher"))
        {
            // Pressure below Alarms:WaterPressureMin (0.15 bar); the manhole's alarm is no pressure-low: q keeps it out.
            await publisher.PublishAsync("city/na-d/na-c/water/na-w1", $$"""{"ts":{{ts}},"total":10.5,"flow":0.5,"pressure":0.05}""");
            await publisher.PublishAsync("city/na-d/na-c/manhole/na-m1", $$"""{"ts":{{ts}},"open":1}""");
        }

        var raised = await Wait.UntilAsync(() => Task.FromResult(Alerts(receiver)), a => a.Any(e => Value(e, "alarmCondition") == "activeUnacknowledged"),
            TimeSpan.FromSeconds(30), "the raised alarm's notification");
        var alert = raised.First(e => Value(e, "alarmCondition") == "activeUnacknowledged");
        Assert.Equal(("pressure-low", "urn:ngsi-ld:Device:na-w1", "urn:ngsi-ld:Community:na-d:na-c"),
            (Value(alert, "subCategory"), alert.GetProperty("alertSource").GetProperty("object").GetString(), alert.GetProperty("refCommunity").GetProperty("object").GetString()));

        var open = (await silo.Http.GetFromJsonAsync<JsonElement>("/api/districts/na-d/communities/na-c/alarms")).GetProperty("open").EnumerateArray().ToArray();
        var alarmId = open.Single(a => a.GetProperty("alarm").GetProperty("type").GetString() == "pressure-low").GetProperty("alarm").GetProperty("alarmId").GetString()!;
        var acknowledged = await silo.Http.PostAsJsonAsync($"/api/districts/na-d/communities/na-c/alarms/{alarmId}/acknowledge", new { comment = "on it" });
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);

        var after = await Wait.UntilAsync(() => Task.FromResult(Alerts(receiver)), a => a.Any(e => Value(e, "alarmCondition") == "activeAcknowledged"),
            TimeSpan.FromSeconds(30), "the acknowledgement's notification");
        var ack = after.First(e => Value(e, "alarmCondition") == "activeAcknowledged");
        Assert.Equal((alert.GetProperty("id").GetString(), "ngsi-anna"), (ack.GetProperty("id").GetString(), Value(ack, "acknowledgedBy")));
        Assert.All(after, e => Assert.Equal("pressure-low", Value(e, "subCategory")));
    }

    [Fact]
    public async Task A_subscription_to_a_Community_gets_the_community_entity_as_readings_change_its_indicators()
    {
        await using var silo = await StartAsync();
        await using var receiver = await WebhookReceiver.StartNewAsync();
        const string community = "urn:ngsi-ld:Community:nc-d:nc-c";
        await Subscriptions.CreateAsync(silo.Http, $$$"""
            {"type": "Subscription", "entities": [{"type": "Community", "id": "{{{community}}}"}],
             "notification": {"endpoint": {"uri": "{{{receiver.Uri}}}"} } }
            """);
        var ts = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "nc-publisher"))
        {
            await Subscriptions.PublishWaterAsync(publisher, "nc-d", "nc-c", "nc-w1", ts, 10m);
            await Subscriptions.PublishWaterAsync(publisher, "nc-d", "nc-c", "nc-w1", ts + 60_000, 10.25m);
        }

        // The community is notified at most once per Live:AreaInterval: the last change (both readings) always comes.
        var entities = await Wait.UntilAsync(() => Task.FromResult(receiver.Notifications.SelectMany(n => n.Data).ToArray()),
            e => e.Any(x => x.GetProperty("readingsAccepted").GetProperty("value").GetInt64() == 2), TimeSpan.FromSeconds(30), "the community with both readings");
        Assert.All(entities, e => Assert.Equal((community, "Community"), (e.GetProperty("id").GetString(), e.GetProperty("type").GetString())));
        Assert.Contains(entities, e => e.TryGetProperty("waterConsumption", out _));
        // A subscription to one community gets no district's or city's changes, nor another community's.
        Assert.DoesNotContain(receiver.Notifications.SelectMany(n => n.Data), e => e.GetProperty("id").GetString() != community);
    }

    private static async Task<CitySenseInstance> StartAsync()
    {
        var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Keys:0:Key"] = Key,
            ["Api:Keys:0:Name"] = "ngsi-anna",
            ["Api:Keys:0:Scopes:0"] = "read",
            ["Api:Keys:0:Scopes:1"] = "operate",
        });
        silo.Http.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return silo;
    }

    private static JsonElement[] Alerts(WebhookReceiver receiver) =>
        receiver.Notifications.SelectMany(n => n.Data).Where(e => e.GetProperty("type").GetString() == "Alert").ToArray();

    private static string? Value(JsonElement entity, string attribute) =>
        entity.TryGetProperty(attribute, out var a) && a.GetProperty("value") is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
}
