using System.Diagnostics;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Ngsi;

/// <summary>
/// A client CitySense did not write: FIWARE's ngsijs 1.4.1 (npm, installed at test time into a cache folder) creates a
/// subscription with <c>connection.ld.createSubscription</c>, and CitySense then notifies it.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class NgsiJsClientTests
{
    private const string Package = "ngsijs@1.4.1";

    [Fact]
    public async Task FIWAREs_ngsijs_creates_a_subscription_that_then_delivers()
    {
        var modules = await InstallAsync();
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>());
        await using var receiver = await WebhookReceiver.StartNewAsync();
        var script = Path.Combine(Path.GetTempPath(), $"ngsijs-subscribe-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(script, $$"""
            const NGSI = require({{System.Text.Json.JsonSerializer.Serialize(Path.Combine(modules, "node_modules", "ngsijs"))}});
            const connection = new NGSI.Connection(process.argv[2]);
            connection.ld.createSubscription({
                type: "Subscription",
                entities: [{ type: "WaterConsumptionObserved", idPattern: ".*:js-w1$" }],
                notification: { endpoint: { uri: process.argv[3], accept: "application/json" } },
                "@context": "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"
            }).then(
                (result) => { console.log(result.location); },
                (error) => { console.error(String(error), JSON.stringify(error)); process.exit(1); });
            """);
        try
        {
            var (exit, output) = await RunAsync("/usr/bin/node", $"\"{script}\" http://127.0.0.1:{silo.HttpPort}/ \"{receiver.Uri}\"");
            Assert.True(exit == 0, $"ngsijs failed: {output}");
            var location = output.Trim().Split('\n')[^1].Trim();
            var subscription = await Subscriptions.GetAsync(silo.Http, location);
            Assert.Equal("active", subscription.GetProperty("status").GetString());

            await using var publisher = await Publisher.ConnectAsync(silo.MqttPort, "js-publisher");
            await Subscriptions.PublishWaterAsync(publisher, "js-d", "js-c", "js-w1", DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds(), 7.5m);
            await Wait.UntilAsync(() => Task.FromResult(receiver.Notifications.Count >= 1), TimeSpan.FromSeconds(30), "the notification");
            Assert.Equal((Subscriptions.WaterMeterId("js-w1"), 7.5m), (Subscriptions.Registers(receiver)[0].Id, Subscriptions.Registers(receiver)[0].Register));
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>npm install into a cache folder kept between runs; returns the folder.</summary>
    private static async Task<string> InstallAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "citysense-npm-ngsijs-1.4.1");
        if (!File.Exists(Path.Combine(folder, "node_modules", "ngsijs", "package.json")))
        {
            Directory.CreateDirectory(folder);
            var (exit, output) = await RunAsync("/usr/bin/env", $"npm install --no-audit --no-fund --prefix \"{folder}\" {Package}");
            Assert.True(exit == 0, $"npm install {Package} failed: {output}");
        }

        return folder;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await stdout + await stderr);
    }
}
