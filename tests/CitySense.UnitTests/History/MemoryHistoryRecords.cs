using System.Text.Json;
using CitySense.Grains.Domain.History;
using CitySense.Grains.State;

namespace CitySense.UnitTests.History;

/// <summary>
/// History records in memory, each stored as the JSON the single-node file storage writes, so a record that does not
/// round-trip through System.Text.Json fails here too. Counts writes, and can fail the n-th one (a silo dying mid-push).
/// </summary>
internal sealed class MemoryHistoryRecords : IHistoryRecords
{
    private readonly Dictionary<string, string> _records = new(StringComparer.Ordinal);

    public int Writes { get; private set; }

    /// <summary>The write number (1-based, counted from now on) that throws instead of storing; 0 for none.</summary>
    public int FailWrite { get; set; }

    public IEnumerable<string> Ids => _records.Keys;

    public Task<HistoryRecord?> ReadHistory(string id) => Task.FromResult(Read<HistoryRecord>(id));

    public Task WriteHistory(string id, HistoryRecord record) => Write(id, record);

    public Task DeleteHistory(string id)
    {
        _records.Remove(id);
        return Task.CompletedTask;
    }

    public Task<MeterRecord?> ReadMeters(string id) => Task.FromResult(Read<MeterRecord>(id));

    public Task WriteMeters(string id, MeterRecord record) => Write(id, record);

    public Task DeleteMeters(string id) => DeleteHistory(id);

    private T? Read<T>(string id)
        where T : class => _records.TryGetValue(id, out var json) ? JsonSerializer.Deserialize<T>(json) : null;

    private Task Write<T>(string id, T record)
    {
        Writes++;
        if (FailWrite > 0 && --FailWrite == 0)
        {
            throw new IOException("storage went away");
        }

        _records[id] = JsonSerializer.Serialize(record);
        return Task.CompletedTask;
    }
}
