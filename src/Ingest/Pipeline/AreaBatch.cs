using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;

namespace CitySense.Ingest.Pipeline;

/// <summary>The updates and rejection counts for one area in one ingest batch.</summary>
internal sealed class AreaBatch(string district, string community)
{
    private readonly Dictionary<(string Kind, RejectionReason Reason, long Window), int> _rejections = [];

    public string District { get; } = district;

    public string Community { get; } = community;

    public List<DeviceUpdate> Updates { get; } = [];

    public bool IsEmpty => Updates.Count == 0 && _rejections.Count == 0;

    public void Reject(string kind, RejectionReason reason, long windowStartMs)
    {
        var key = (kind, reason, windowStartMs);
        _rejections[key] = _rejections.GetValueOrDefault(key) + 1;
    }

    public IndicatorBatch ToBatch() => new(
        Updates.ToArray(),
        _rejections.Select(r => new RejectionCount(r.Key.Kind, r.Key.Reason, r.Key.Window, r.Value)).ToArray());
}
