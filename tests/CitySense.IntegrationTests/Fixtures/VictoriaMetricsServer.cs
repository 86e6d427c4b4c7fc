using System.Globalization;
using System.Text.Json;

namespace CitySense.IntegrationTests.Fixtures;

/// <summary>
/// A real VictoriaMetrics (Debian package): it accepts the InfluxDB v2 write API that InfluxDB.Client speaks and names
/// series {measurement}_{field} with the tags as labels.
/// </summary>
public sealed class VictoriaMetricsServer : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("citysense-vm-").FullName;
    private readonly HttpClient _http = new();
    private ExternalProcess? _process;

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Starts on <paramref name="port"/>, or on a free port; a test may choose the port to play a server that comes up late.</summary>
    public async Task StartAsync(int? port = null)
    {
        Port = port ?? FreePort.Next();
        _process = ExternalProcess.Start("/usr/bin/victoria-metrics",
            $"-httpListenAddr=127.0.0.1:{Port} -storageDataPath={_folder} -retentionPeriod=100y -search.latencyOffset=0s -loggerLevel=WARN");
        try
        {
            await Wait.UntilAsync(async () => (await _http.GetAsync($"{Url}/health")).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "VictoriaMetrics to answer /health");
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException($"{ex.Message}\n{_process.Output}");
        }
    }

    /// <summary>Every raw sample of the series named <paramref name="name"/>: labels → (timestamp ms → value).</summary>
    public async Task<IReadOnlyList<Series>> ExportAsync(string name)
    {
        (await _http.GetAsync($"{Url}/internal/force_flush")).EnsureSuccessStatusCode();
        var url = $"{Url}/api/v1/export?match[]={Uri.EscapeDataString(name)}";
        var body = await _http.GetStringAsync(url);
        var result = new List<Series>();
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var labels = doc.RootElement.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty);
            var values = doc.RootElement.GetProperty("values").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.Parse(v.GetString()!, CultureInfo.InvariantCulture)).ToArray();
            var timestamps = doc.RootElement.GetProperty("timestamps").EnumerateArray().Select(t => t.GetInt64()).ToArray();
            result.Add(new Series(labels, timestamps.Zip(values).Select(p => new Sample(p.First, p.Second)).ToArray()));
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _http.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    public sealed record Series(IReadOnlyDictionary<string, string> Labels, Sample[] Samples);

    public readonly record struct Sample(long TimestampMs, double Value);
}
