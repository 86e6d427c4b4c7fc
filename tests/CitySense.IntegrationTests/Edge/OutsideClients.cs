using System.Diagnostics;
using System.Text.Json;

namespace CitySense.IntegrationTests.Edge;

/// <summary>MQTT clients CitySense did not write: Debian's paho-mqtt (python3-paho-mqtt) and mosquitto_pub.</summary>
internal static class OutsideClients
{
    // Debian's interpreter: a pyenv or venv python on PATH would not see the Debian package.
    private const string Python = "/usr/bin/python3";
    private const string MosquittoPub = "/usr/bin/mosquitto_pub";
    private const string MosquittoSub = "/usr/bin/mosquitto_sub";

    /// <summary>Runs paho_poison.py over every case; one result per case (see the script).</summary>
    public static async Task<IReadOnlyList<JsonElement>> PahoPoisonAsync(int port, string protocol, IReadOnlyList<PoisonCase> cases)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "paho_poison.py");
        var (code, output, error) = await RunAsync(Python, [script, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), protocol],
            JsonSerializer.Serialize(cases.Select(c => c.ToScriptInput()).ToArray()), TimeSpan.FromMinutes(3));
        if (code != 0)
        {
            throw new InvalidOperationException($"paho_poison.py exited with {code}: {error}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToArray();
    }

    /// <summary>Runs paho_flood.py (one publisher of several); returns the messages it sent and those acknowledged.</summary>
    public static async Task<(long Messages, long Acked)> PahoFloodAsync(int port, int qos, TimeSpan duration, int publisher, int publishers, int messagesPerSecond)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "paho_flood.py");
        string I(double v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (code, output, error) = await RunAsync(Python, [script, "127.0.0.1", I(port), I(qos), I(duration.TotalSeconds), I(publisher), I(publishers), I(messagesPerSecond)],
            null, duration + TimeSpan.FromMinutes(4));
        if (code != 0)
        {
            throw new InvalidOperationException($"paho_flood.py exited with {code}: {error}");
        }

        var result = JsonDocument.Parse(output).RootElement;
        if (result.GetProperty("refused").GetInt64() != 0 || result.GetProperty("disconnects").GetInt64() != 0)
        {
            // The publisher's own trouble would make the silo's counts wrong for reasons not the silo's.
            throw new InvalidOperationException($"the flood publisher lost its connection or had publishes refused: {output}");
        }

        return (result.GetProperty("messages").GetInt64(), result.GetProperty("acked").GetInt64());
    }

    /// <summary>mosquitto_pub -q 1 of one message; throws unless it was acknowledged.</summary>
    public static async Task MosquittoPubAsync(int port, string topic, string payload, int qos = 1, string version = "mqttv5", string? clientId = null, string? user = null, string? password = null)
    {
        string[] arguments = ["-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", version, "-q", qos.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", topic, "-m", payload];
        arguments = clientId is null ? arguments : [.. arguments, "-i", clientId];
        arguments = user is null ? arguments : [.. arguments, "-u", user, "-P", password ?? string.Empty];
        var (code, _, error) = await RunAsync(MosquittoPub, arguments, null, TimeSpan.FromSeconds(30));
        if (code != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub exited with {code}: {error}");
        }
    }

    /// <summary>
    /// mosquitto_sub --retained-only on <paramref name="filter"/>: the topics of the retained messages the broker sends a
    /// new subscriber, printed until the first message that is not retained or for <paramref name="wait"/> at most.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MosquittoSubRetainedAsync(int port, string filter, TimeSpan wait)
    {
        var seconds = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (code, output, error) = await RunAsync(MosquittoSub,
            ["-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", "mqttv5", "--retained-only", "-W", seconds, "-F", "%t", "-t", filter],
            null, wait + TimeSpan.FromSeconds(30));
        // 0: stopped at a message that was not retained; 27: the -W timeout (nothing but retained messages came).
        if (code is not (0 or 27))
        {
            throw new InvalidOperationException($"mosquitto_sub exited with {code}: {error}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string executable, string[] arguments, string? input, TimeSpan timeout)
    {
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is not installed: run tests/run.sh (it installs mosquitto-clients and python3-paho-mqtt).");
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(executable)} did not finish within {timeout.TotalSeconds} s: {await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
