using System.Text.Json;
using Orleans.Storage;

namespace CitySense.Silo.Storage;

/// <summary>
/// Grain state as one JSON file per grain under a folder: the embedded default for state that must survive a restart
/// but changes rarely (the device registry, written on operator changes only). Writes go to a temporary file renamed
/// over the old one, so a crash leaves the old or the new state, never half of one. The ETag is a version counter.
/// </summary>
public sealed class FileGrainStorage(string folder) : IGrainStorage
{
    // Compact: communities write their alarm journals with every stored change, and indentation made a file a third larger.
    private static readonly JsonSerializerOptions Json = new();

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        if (!File.Exists(path))
        {
            grainState.RecordExists = false;
            return;
        }

        await using var stream = File.OpenRead(path);
        var stored = await JsonSerializer.DeserializeAsync<Stored<T>>(stream, Json)
            ?? throw new InvalidOperationException($"Grain state file {path} is empty.");
        grainState.State = stored.State;
        grainState.ETag = stored.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        var version = long.TryParse(grainState.ETag, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v + 1 : 1;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, new Stored<T>(version, grainState.State!), Json);
        }

        File.Move(temporary, path, overwrite: true);
        grainState.ETag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        File.Delete(PathOf(stateName, grainId));
        grainState.RecordExists = false;
        grainState.ETag = null;
        return Task.CompletedTask;
    }

    private string PathOf(string stateName, GrainId grainId)
    {
        // Grain keys here are ids ([A-Za-z0-9_.-]) or "district/community"; escape anything else to stay in the folder.
        var key = Uri.EscapeDataString(grainId.ToString());
        return Path.Combine(folder, stateName, key + ".json");
    }

    private sealed record Stored<T>(long Version, T State);
}
