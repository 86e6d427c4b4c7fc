using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;

namespace CitySense.Grains.Routing;

/// <summary>
/// The updates and rejection counts for one area in one ingest batch. Updates are counted first (<see cref="Expect"/>),
/// then written into one array of exactly that size, which becomes the grain call's batch without another copy.
/// </summary>
internal sealed class AreaBatch(string district, string community)
{
    private readonly Dictionary<(string Kind, RejectionReason Reason, long Window), int> _rejections = [];
    private DeviceUpdate[] _updates = [];
    private int _expected;
    private int _filled;

    public string District { get; } = district;

    public string Community { get; } = community;

    public void Expect() => _expected++;

    public void Allocate() => _updates = _expected == 0 ? [] : new DeviceUpdate[_expected];

    public void Add(in DeviceUpdate update) => _updates[_filled++] = update;

    public void Reject(string kind, RejectionReason reason, long windowStartMs)
    {
        var key = (kind, reason, windowStartMs);
        _rejections[key] = _rejections.GetValueOrDefault(key) + 1;
    }

    public IndicatorBatch ToBatch() => new(
        _filled == _updates.Length ? _updates : _updates[.._filled],
        _rejections.Select(r => new RejectionCount(r.Key.Kind, r.Key.Reason, r.Key.Window, r.Value)).ToArray());
}
