using System.Diagnostics;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Ngsi;

/// <summary>NGSI-LD notifications from the real host, with MQTT readings going in and a receiver that goes away.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SubscriptionDeliveryTests
{
    private static readonly string[] Devices = ["sub-w1", "sub-w2", "sub-w3"];

    [Fact]
    public async Task A_receiver_down_for_thirty_seconds_gets_every_reading_once_and_in_order_and_the_status_tells_the_outage()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            // A notification per reading while the receiver is up: the backlog of the outage comes in batches.
            ["Subscriptions:RetryMax"] = "00:00:05",
        });
        await using var receiver = await WebhookReceiver.StartNewAsync();
        var location = await Subscriptions.CreateAsync(silo.Http, $$$"""
            {"type": "Subscription", "entities": [{"type": "WaterConsumptionObserved", "idPattern": "^urn:ngsi-ld:WaterConsumptionObserved:sub-w"}],
             "watchedAttributes": ["registerValue"],
             "notification": {"endpoint": {"uri": "{{{receiver.Uri}}}", "accept": "application/json"}, "attributes": ["registerValue", "waterConsumption"]}}
            """);

        var published = Devices.ToDictionary(d => d, _ => new List<decimal>());
        using var stop = new CancellationTokenSource();
        var publishing = PublishAsync(silo.MqttPort, published, stop.Token);

        await Wait.UntilAsync(() => Task.FromResult(receiver.Notifications.Count >= 10), TimeSpan.FromSeconds(60), "the first notifications");
        await receiver.StopAsync();
        var down = Stopwatch.StartNew();
        var during = await Wait.UntilAsync(() => Subscriptions.NotificationStatusAsync(silo.Http, location),
            s => s.GetProperty("consecutiveErrors").GetInt32() >= 2 && s.GetProperty("pending").GetInt32() > 0, TimeSpan.FromSeconds(30), "failed attempts while the receiver is down");
        Assert.Equal("failed", during.GetProperty("status").GetString());
        Assert.True(during.TryGetProperty("lastFailure", out _));
        // The outage lasts thirty seconds, whatever the status above took to show it.
        await Wait.UntilAsync(() => Task.FromResult(down.Elapsed >= TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(40), "the end of the outage");
        var lastFailure = (await Subscriptions.NotificationStatusAsync(silo.Http, location)).GetProperty("lastFailure").GetDateTimeOffset();
        await receiver.StartAsync();
        await Wait.UntilAsync(() => Task.FromResult(down.Elapsed >= TimeSpan.FromSeconds(40)), TimeSpan.FromSeconds(50), "readings after the outage");
        await stop.CancelAsync();
        await publishing;

        // Every register value published, per meter, from the first one notified: none missing, none twice, in order.
        await Wait.UntilAsync(() => Task.FromResult(Devices.All(d => Subscriptions.Registers(receiver).Any(r => r.Id == Subscriptions.WaterMeterId(d) && r.Register == published[d][^1]))),
            TimeSpan.FromSeconds(60), "the last reading of every meter");
        var received = Subscriptions.Registers(receiver);
        foreach (var device in Devices)
        {
            var values = received.Where(r => r.Id == Subscriptions.WaterMeterId(device)).Select(r => r.Register).ToArray();
            var first = published[device].IndexOf(values[0]);
            Assert.True(first >= 0, $"{device}: {values[0]} was never published");
            Assert.Equal(published[device].Skip(first), values);
        }

        Assert.Equal(receiver.Notifications.Count, receiver.Notifications.Select(n => n.Body.GetProperty("id").GetString()).Distinct().Count());
        Assert.Contains(receiver.Notifications, n => n.Data.Count() > 1);
        Assert.All(receiver.Notifications, n => Assert.Equal("Notification", n.Body.GetProperty("type").GetString()));
        Assert.All(receiver.Notifications, n => Assert.Equal(location.Split('/')[^1], Uri.EscapeDataString(n.Body.GetProperty("subscriptionId").GetString()!)));
        // notification.attributes: id, type and the two named attributes only.
        Assert.All(receiver.Notifications.SelectMany(n => n.Data), e => Assert.Equal(["id", "type", "waterConsumption", "registerValue"], e.EnumerateObject().Select(p => p.Name).OrderBy(n => n == "id" ? 0 : n == "type" ? 1 : n == "waterConsumption" ? 2 : 3)));

        var after = await Wait.UntilAsync(() => Subscriptions.NotificationStatusAsync(silo.Http, location),
            s => s.GetProperty("timesSent").GetInt64() == receiver.Notifications.Count && s.GetProperty("pending").GetInt32() == 0, TimeSpan.FromSeconds(30), "the status to count what the receiver got");
        Assert.Equal("ok", after.GetProperty("status").GetString());
        Assert.Equal(0, after.GetProperty("consecutiveErrors").GetInt32());
        Assert.True(after.GetProperty("timesFailed").GetInt64() >= 2);
        Assert.True(after.GetProperty("lastSuccess").GetDateTimeOffset() > lastFailure);
        Assert.Equal(received.Count, after.GetProperty("entitiesSent").GetInt64());
        Assert.Equal(0, after.GetProperty("dropped").GetInt64());

        var metrics = await silo.Http.GetStringAsync("/metrics");
        Assert.Contains("citysense_ngsi_notifications_sent_total", metrics, StringComparison.Ordinal);
        Assert.Contains("citysense_ngsi_retries_total", metrics, StringComparison.Ordinal);
    }

    /// <summary>Each meter reads every 200 ms (real time), its register up 0.01 m³ a minute of event time, until stopped.</summary>
    private static async Task PublishAsync(int mqttPort, Dictionary<string, List<decimal>> published, CancellationToken stop)
    {
        await using var publisher = await Publisher.ConnectAsync(mqttPort, "sub-delivery-publisher");
        var start = DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeMilliseconds();
        // A rate of readings (one round every 200 ms), not a wait for something to happen.
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            foreach (var device in Devices)
            {
                var total = 500m + (i * 0.01m);
                await Subscriptions.PublishWaterAsync(publisher, "sub-d", "sub-c", device, start + (i * 60_000L), total);
                lock (published)
                {
                    published[device].Add(total);
                }
            }

            try
            {
                await pace.WaitForNextTickAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
