using System.Net.Http.Json;
using System.Text.Json;
using CitySense.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CitySense.IntegrationTests.Fixtures;

/// <summary>
/// The real silo host (the one `dotnet run --project src/Silo` starts), on free loopback ports, with test settings.
/// </summary>
public sealed class CitySenseInstance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private CitySenseInstance(WebApplication app, int httpPort, int mqttPort, string dataPath)
    {
        _app = app;
        HttpPort = httpPort;
        MqttPort = mqttPort;
        DataPath = dataPath;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    }

    public int HttpPort { get; }

    public int MqttPort { get; }

    public string DataPath { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="configure">Test additions to the host (a logger, a grain call filter), applied before its parts.</param>
    public static async Task<CitySenseInstance> StartAsync(IDictionary<string, string?> settings, TimeProvider? time = null, Action<WebApplicationBuilder>? configure = null)
    {
        var httpPort = FreePort.Next();
        var mqttPort = FreePort.Next();
        var dataPath = Directory.CreateTempSubdirectory("citysense-data-").FullName;
        var config = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{httpPort}",
            ["Mqtt:Port"] = mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Influx:DataPath"] = dataPath,
            // Windows are written once, at graceful shutdown, unless a test asks for a timer: VictoriaMetrics keeps
            // every rewrite of a point (InfluxDB replaces it), so one write per window keeps read-back exact.
            ["Indicators:FlushInterval"] = "01:00:00",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            config[key] = value;
        }

        if (config.TryGetValue("Mqtt:Port", out var port) && port is not null && int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) != mqttPort)
        {
            mqttPort = int.Parse(port, System.Globalization.CultureInfo.InvariantCulture);
        }

        var app = CitySenseHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }

            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new CitySenseInstance(app, httpPort, mqttPort, dataPath);
    }

    public async Task<JsonElement?> GetJsonAsync(string path)
    {
        var response = await Http.GetAsync(path);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Graceful stop: ingest drains, grains write their windows, the output drains.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        Http.Dispose();
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the test that already passed.
        }
    }
}
