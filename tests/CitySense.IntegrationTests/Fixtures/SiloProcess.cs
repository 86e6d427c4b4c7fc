using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace CitySense.IntegrationTests.Fixtures;

/// <summary>A silo in a process of its own (the real executable), so a test can form a cluster and kill -9 a member.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly ExternalProcess _process;
    private readonly string _data;

    private SiloProcess(ExternalProcess process, int httpPort, string data)
    {
        _process = process;
        _data = data;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    }

    public HttpClient Http { get; }

    public string Output => _process.Output;

    public static async Task<SiloProcess> StartAsync(params string[] settings)
    {
        var httpPort = FreePort.Next();
        var data = Directory.CreateTempSubdirectory("citysense-silo-").FullName;
        var args = string.Join(' ', settings.Concat(
        [
            $"--urls=http://127.0.0.1:{httpPort}",
            $"--Orleans:SiloPort={FreePort.Next().ToString(CultureInfo.InvariantCulture)}",
            $"--Orleans:GatewayPort={FreePort.Next().ToString(CultureInfo.InvariantCulture)}",
            $"--Influx:DataPath={data}",
        ]).Select(a => $"\"{a}\""));
        var dll = Path.Combine(AppContext.BaseDirectory, "CitySense.Silo.dll");
        var process = ExternalProcess.Start("/usr/bin/env", $"dotnet \"{dll}\" {args}");
        var silo = new SiloProcess(process, httpPort, data);
        try
        {
            await Wait.UntilAsync(async () => (await silo.Http.GetAsync("/health")).IsSuccessStatusCode, TimeSpan.FromSeconds(90), "the silo process to answer /health");
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException($"{ex.Message}\n{process.Output}");
        }

        return silo;
    }

    public async Task<JsonElement> GetJsonAsync(string path) => await Http.GetFromJsonAsync<JsonElement>(path);

    /// <summary>SIGTERM: the graceful stop an operator's restart gives (ingest drains, state and output are written).</summary>
    public Task StopAsync() => _process.TerminateAsync();

    /// <summary>kill -9: no graceful shutdown, nothing flushed.</summary>
    public Task KillAsync() => _process.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Http.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying process must not fail the test.
        }
    }
}
