using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;

namespace CitySense.Silo.Storage;

/// <summary>
/// At start-up, activates every device the file registry knows, so that provisioned devices are back on their
/// community's roster (registered, offline until they report) before their first reading after a restart.
/// </summary>
public sealed partial class RegistryWarmup(string folder, IGrainFactory grains, ILogger<RegistryWarmup> logger) : BackgroundService
{
    private const int InFlight = 64;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var profiles = Path.Combine(folder, "profile");
        if (!Directory.Exists(profiles))
        {
            return;
        }

        var count = 0;
        var calls = new List<Task>(InFlight);
        foreach (var file in Directory.EnumerateFiles(profiles, "*.json"))
        {
            // File names are escaped grain ids: "{grain type}/{device id}".
            var grainId = Uri.UnescapeDataString(Path.GetFileNameWithoutExtension(file));
            var slash = grainId.IndexOf('/');
            if (slash < 0 || stoppingToken.IsCancellationRequested)
            {
                continue;
            }

            calls.Add(grains.GetGrain<IDeviceGrain>(grainId[(slash + 1)..]).GetProfile());
            count++;
            if (calls.Count == InFlight)
            {
                await Task.WhenAll(calls);
                calls.Clear();
            }
        }

        await Task.WhenAll(calls);
        LogWarmedUp(count, profiles);
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Registry: {Count} devices restored from {Folder}")]
    private partial void LogWarmedUp(int count, string folder);
}
