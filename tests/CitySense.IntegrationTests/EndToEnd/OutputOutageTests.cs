using CitySense.IntegrationTests.City;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.EndToEnd;

/// <summary>The time-series server may be down: ingestion goes on, and what was queued arrives when it is back.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class OutputOutageTests
{
    [Fact]
    public async Task Indicators_queued_while_victoria_metrics_is_down_are_written_when_it_comes_up()
    {
        var vmPort = FreePort.NextReservable();
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Influx:Url"] = $"http://127.0.0.1:{vmPort}",
            ["Influx:MaxRetryDelay"] = "00:00:01",
            ["Indicators:FlushInterval"] = "00:00:00.200",
        });
        var city = new TestCity(seed: 21, TestCity.AlignedStart(DateTimeOffset.UtcNow, TimeSpan.FromHours(5)), readingsPerDevice: 4, prefix: "out");
        var expected = new Expected(city.Readings);
        await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "out-publisher"))
        {
            foreach (var (topic, payload) in city.Messages())
            {
                await publisher.PublishAsync(topic, payload);
            }
        }

        // Ingestion went on: the API is exact while every write fails.
        await IndicatorAssertions.ApiMatchesAsync(silo, city, expected, new Dictionary<(string, string), long>());
        await Wait.UntilAsync(async () =>
        {
            var health = (await silo.GetJsonAsync("/health"))!.Value;
            return health.GetProperty("status").GetString() == "degraded"
                && health.GetProperty("output").GetProperty("failedAttempts").GetInt64() > 0
                && health.GetProperty("output").GetProperty("linesQueued").GetInt64() > 0;
        }, TimeSpan.FromSeconds(30), "the output to report failed writes and queued lines");

        await using var vm = new VictoriaMetricsServer();
        await vm.StartAsync(vmPort);
        await Wait.UntilAsync(async () =>
        {
            var output = (await silo.GetJsonAsync("/health"))!.Value.GetProperty("output");
            return output.GetProperty("linesQueued").GetInt64() == 0 && output.GetProperty("lastError").ValueKind == System.Text.Json.JsonValueKind.Null;
        }, TimeSpan.FromSeconds(30), "the queued lines to be written");

        var series = await vm.ExportAsync("citysense_community_consumption");
        foreach (var ((area, kind, window), figures) in expected.Windows.Where(w => w.Key.Area.Contains('/') && w.Key.Kind is "water" or "gas" or "heat"))
        {
            var match = series.Single(s => $"{s.Labels["district"]}/{s.Labels["community"]}" == area && s.Labels["kind"] == kind);
            // A window may have been written more than once while readings arrived (InfluxDB keeps the last write,
            // VictoriaMetrics keeps them all); the final value must be among them.
            var samples = match.Samples.Where(p => p.TimestampMs == window).ToList();
            Assert.Contains(samples, p => Math.Abs(p.Value - (double)figures.Consumption) < 1e-6);
        }
    }

    [Fact]
    public async Task Indicators_spilled_to_disk_during_an_outage_survive_a_restart_and_are_written_when_the_server_returns()
    {
        var vmPort = FreePort.NextReservable();
        var data = Directory.CreateTempSubdirectory("citysense-spill-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["Influx:Url"] = $"http://127.0.0.1:{vmPort}",
            ["Influx:SpillPath"] = Path.Combine(data, "spill"),
            // A tiny memory budget: nearly everything goes to disk.
            ["Influx:MaxBufferBytes"] = "2048",
            ["Influx:MaxRetryDelay"] = "00:00:01",
            ["Indicators:FlushInterval"] = "00:00:00.200",
        };
        var city = new TestCity(seed: 33, TestCity.AlignedStart(DateTimeOffset.UtcNow, TimeSpan.FromHours(6)), readingsPerDevice: 4, prefix: "spl");
        var expected = new Expected(city.Readings);
        try
        {
            await using (var first = await CitySenseInstance.StartAsync(settings))
            {
                await using (var publisher = await Publisher.ConnectAsync(first.MqttPort, "spl-publisher"))
                {
                    foreach (var (topic, payload) in city.Messages())
                    {
                        await publisher.PublishAsync(topic, payload);
                    }
                }

                await Wait.UntilAsync(async () => (await first.GetJsonAsync("/health"))!.Value.GetProperty("output").GetProperty("linesSpilled").GetInt64() > 0,
                    TimeSpan.FromSeconds(30), "lines to be spilled to disk");
            }

            // The first silo is gone; its spill is on disk. The server comes back, then a new silo starts on the same data.
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(data, "spill"), "spill-*.lp"));
            await using var vm = new VictoriaMetricsServer();
            await vm.StartAsync(vmPort);
            await using var second = await CitySenseInstance.StartAsync(settings);
            await Wait.UntilAsync(async () =>
            {
                var output = (await second.GetJsonAsync("/health"))!.Value.GetProperty("output");
                return output.GetProperty("linesSpilled").GetInt64() == 0 && output.GetProperty("linesQueued").GetInt64() == 0 && output.GetProperty("linesWritten").GetInt64() > 0;
            }, TimeSpan.FromSeconds(60), "the spill to be written");

            var series = await vm.ExportAsync("citysense_community_consumption");
            foreach (var ((area, kind, window), figures) in expected.Windows.Where(w => w.Key.Area.Contains('/') && w.Key.Kind is "water" or "gas" or "heat"))
            {
                var match = series.Single(s => $"{s.Labels["district"]}/{s.Labels["community"]}" == area && s.Labels["kind"] == kind);
                Assert.Contains(match.Samples.Where(p => p.TimestampMs == window), p => Math.Abs(p.Value - (double)figures.Consumption) < 1e-6);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
