using CitySense.Grains.State;

namespace CitySense.Grains.Domain.History;

/// <summary>Where an area's history records live (grain storage "history"; memory in unit tests). Ids are the archive's.</summary>
public interface IHistoryRecords
{
    Task<HistoryRecord?> ReadHistory(string id);

    Task WriteHistory(string id, HistoryRecord record);

    Task DeleteHistory(string id);

    Task<MeterRecord?> ReadMeters(string id);

    Task WriteMeters(string id, MeterRecord record);

    Task DeleteMeters(string id);
}
