using CitySense.Grains.Domain.History;
using CitySense.Grains.State;
using Orleans.Storage;

namespace CitySense.Grains.History;

/// <summary>
/// History records in grain storage "history" (Redis in a cluster, files on a single node), each under a grain id of
/// type "history" named by the record. One area writes its records, one call at a time: the ETag read is the ETag
/// written, so a store with optimistic concurrency (Redis) takes the write.
/// </summary>
internal sealed class GrainStorageHistoryRecords(IGrainStorage storage) : IHistoryRecords
{
    private const string HistoryState = "history";
    private const string MeterState = "meters";
    private readonly Dictionary<string, string?> _etags = new(StringComparer.Ordinal);

    public Task<HistoryRecord?> ReadHistory(string id) => ReadAsync<HistoryRecord>(HistoryState, id);

    public Task WriteHistory(string id, HistoryRecord record) => WriteAsync(HistoryState, id, record);

    public Task DeleteHistory(string id) => DeleteAsync<HistoryRecord>(HistoryState, id);

    public Task<MeterRecord?> ReadMeters(string id) => ReadAsync<MeterRecord>(MeterState, id);

    public Task WriteMeters(string id, MeterRecord record) => WriteAsync(MeterState, id, record);

    public Task DeleteMeters(string id) => DeleteAsync<MeterRecord>(MeterState, id);

    private static GrainId GrainOf(string id) => GrainId.Create("history", id);

    private async Task<T?> ReadAsync<T>(string stateName, string id)
        where T : class
    {
        var state = new GrainState<T>();
        await storage.ReadStateAsync(stateName, GrainOf(id), state);
        _etags[stateName + ":" + id] = state.ETag;
        return state.RecordExists ? state.State : null;
    }

    private async Task WriteAsync<T>(string stateName, string id, T record)
    {
        var key = stateName + ":" + id;
        if (!_etags.TryGetValue(key, out var etag))
        {
            // Never read in this activation: read the ETag first (records are always read before they are merged).
            var current = new GrainState<T>();
            await storage.ReadStateAsync(stateName, GrainOf(id), current);
            etag = current.ETag;
        }

        var state = new GrainState<T>(record) { ETag = etag, RecordExists = etag is not null };
        await storage.WriteStateAsync(stateName, GrainOf(id), state);
        _etags[key] = state.ETag;
    }

    private async Task DeleteAsync<T>(string stateName, string id)
        where T : class
    {
        var state = new GrainState<T>();
        await storage.ReadStateAsync(stateName, GrainOf(id), state);
        if (state.RecordExists)
        {
            await storage.ClearStateAsync(stateName, GrainOf(id), state);
        }

        _etags.Remove(stateName + ":" + id);
    }
}
