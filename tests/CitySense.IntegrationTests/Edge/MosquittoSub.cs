using System.Collections.Concurrent;
using System.Diagnostics;

namespace CitySense.IntegrationTests.Edge;

/// <summary>
/// Debian's mosquitto_sub as a scenario app's subscriber (QoS 1, MQTT 5): every message it prints, as "topic payload"
/// lines in arrival order. Started subscribed: it returns once a probe published on a topic of its own came back.
/// </summary>
internal sealed class MosquittoSub : IAsyncDisposable
{
    private const string Executable = "/usr/bin/mosquitto_sub";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Task _reading;

    private MosquittoSub(Process process)
    {
        _process = process;
        _reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                _lines.Enqueue(line);
            }
        });
    }

    /// <summary>The lines printed so far whose topic is <paramref name="topic"/>, payload only.</summary>
    public IReadOnlyList<string> Payloads(string topic) =>
        _lines.Where(l => l.StartsWith(topic + " ", StringComparison.Ordinal)).Select(l => l[(topic.Length + 1)..]).ToList();

    public static async Task<MosquittoSub> StartAsync(int port, params string[] filters)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is not installed: run tests/run.sh (it installs mosquitto-clients).");
        }

        var probe = $"citysense-test/probe/{Guid.NewGuid():N}";
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", "mqttv5", "-q", "1", "-v", "-t", probe])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var filter in filters)
        {
            start.ArgumentList.Add("-t");
            start.ArgumentList.Add(filter);
        }

        var subscriber = new MosquittoSub(Process.Start(start)!);
        // A probe sent before the subscription took is lost (QoS 0, nothing retained): send another at each poll until
        // one comes back.
        await Wait.UntilAsync(async () =>
        {
            if (subscriber.Payloads(probe).Count > 0)
            {
                return true;
            }

            await OutsideClients.MosquittoPubAsync(port, probe, "probe", qos: 0);
            return false;
        }, TimeSpan.FromSeconds(30), "mosquitto_sub to subscribe");
        return subscriber;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        await _reading;
        _process.Dispose();
    }
}
