using System.Globalization;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Edge;

/// <summary>
/// The real executable, started and stopped the way an operator does, writes no warning and no error: a warning in
/// the log is something for an operator to act on, and one that shows at every start teaches them to ignore them all.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class QuietLogTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_clean_start_readings_and_a_graceful_stop_log_no_warning_and_no_error(bool demo)
    {
        var mqttPort = FreePort.Next();
        var settings = new List<string> { $"--Mqtt:Port={mqttPort.ToString(CultureInfo.InvariantCulture)}" };
        if (demo)
        {
            settings.Add("--demo");
        }

        await using var silo = await SiloProcess.StartAsync([.. settings]);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await OutsideClients.MosquittoPubAsync(mqttPort, "city/ql-d/ql-c/water/ql-w1", $$"""{"ts":{{now}},"total":12.5,"flow":0.3}""");
        await Wait.UntilAsync(async () => (await silo.GetJsonAsync("/health")).GetProperty("ingest").GetProperty("readingsApplied").GetInt64() > 0,
            TimeSpan.FromSeconds(30), "a reading applied");
        // A few seconds of running: the demo's simulator publishes every 5 s; timers and Orleans' watchdog run.
        await Wait.UntilAsync(async () => (await silo.GetJsonAsync("/health")).GetProperty("ingest").GetProperty("batches").GetInt64() > (demo ? 3 : 0),
            TimeSpan.FromSeconds(60), "batches applied");
        await silo.StopAsync();

        var noisy = silo.Output.Split('\n').Where(l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)).ToArray();
        Assert.True(noisy.Length == 0, $"the log has {noisy.Length} warnings or errors:\n{silo.Output}");
    }
}
