using CitySense.Contracts.Alarms;
using CitySense.Contracts.Snapshots;

namespace CitySense.Contracts.Live;

/// <summary>
/// Where area grains announce what changed, for live subscribers (streams, SSE, WebSocket, MQTT republish). Called from
/// grain turns: implementations must not block and must not throw.
/// </summary>
public interface ILiveFeed
{
    /// <summary>False when nobody listens: callers skip building the change at all.</summary>
    bool Enabled { get; }

    /// <summary>
    /// Shortest time between two announcements of one area: changes within it are announced together, once, when it
    /// ends (updates carry complete figures, so the last one is all a subscriber needs). Zero announces every batch.
    /// </summary>
    TimeSpan AreaInterval { get; }

    /// <summary>An area's indicators changed: <paramref name="kinds"/> holds the changed kinds' current figures.</summary>
    void AreaChanged(string level, string key, IReadOnlyList<KindSnapshot> kinds);

    /// <summary>An alarm was raised, updated or cleared, announced without a workflow.</summary>
    void AlarmChanged(AlarmEvent alarm);

    /// <summary>An alarm of a community's workflow changed (stored first): <see cref="AlarmRecord.Last"/> says how.</summary>
    void AlarmChanged(AlarmRecord record);
}
