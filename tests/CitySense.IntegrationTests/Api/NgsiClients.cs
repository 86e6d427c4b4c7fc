using System.Diagnostics;
using System.Text.Json;

namespace CitySense.IntegrationTests.Api;

/// <summary>
/// NGSI-LD tools CitySense did not write, from npm: jsonld 9.0.0 (a JSON-LD processor) and ngsijs 1.4.1 (FIWARE's NGSI
/// client), installed once per test run into a cache directory and driven by Clients/ngsi_check.js.
/// </summary>
internal static class NgsiClients
{
    private static readonly string Prefix = Path.Combine(Path.GetTempPath(), "citysense-ngsi-npm");
    private static readonly SemaphoreSlim InstallOnce = new(1, 1);

    public static async Task<JsonElement> CheckAsync(string baseUrl, string types, string entityId, string temporalId)
    {
        await InstallAsync();
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "ngsi_check.js");
        var (code, output, error) = await RunAsync("node", [script, baseUrl, types, entityId, temporalId], Prefix, TimeSpan.FromMinutes(2));
        if (code != 0)
        {
            throw new InvalidOperationException($"ngsi_check.js exited with {code}: {error}");
        }

        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>A JSON-LD document expanded by npm jsonld, its contexts fetched from the silo at <paramref name="baseUrl"/> only.</summary>
    public static async Task<JsonElement> ExpandAsync(string baseUrl, JsonElement document)
    {
        await InstallAsync();
        var file = Path.Combine(Path.GetTempPath(), $"citysense-jsonld-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document.GetRawText());
        try
        {
            var script = Path.Combine(AppContext.BaseDirectory, "Clients", "jsonld_expand.js");
            var (code, output, error) = await RunAsync("node", [script, baseUrl, file], Prefix, TimeSpan.FromMinutes(2));
            if (code != 0)
            {
                throw new InvalidOperationException($"jsonld_expand.js exited with {code}: {error}");
            }

            return JsonDocument.Parse(output).RootElement.Clone();
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task InstallAsync()
    {
        await InstallOnce.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(Prefix, "node_modules", "ngsijs", "package.json")) && File.Exists(Path.Combine(Prefix, "node_modules", "jsonld", "package.json")))
            {
                return;
            }

            Directory.CreateDirectory(Prefix);
            var (code, _, error) = await RunAsync("npm", ["install", "--prefix", Prefix, "--no-audit", "--no-fund", "jsonld@9.0.0", "ngsijs@1.4.1"], Prefix, TimeSpan.FromMinutes(5));
            if (code != 0)
            {
                throw new InvalidOperationException($"npm install jsonld ngsijs failed ({code}): {error}. tests/run.sh installs node and npm.");
            }
        }
        finally
        {
            InstallOnce.Release();
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string executable, string[] arguments, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The script's require() finds the packages installed under the prefix.
        start.Environment["NODE_PATH"] = Path.Combine(Prefix, "node_modules");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} did not finish within {timeout}.");
        }

        return (process.ExitCode, await output, await error);
    }
}
