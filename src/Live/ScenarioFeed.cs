using CitySense.Contracts.Live;

namespace CitySense.Live;

/// <summary>
/// Hands each round of the stream publisher to the scenario host (<c>IScenarioHostGrain.Take</c>): one call with every
/// update of the round, in the silo's order. The host is called rather than subscribed to the city's streams: a memory
/// stream serializes each event into its queue and cache even for a consumer on the same silo (benchmarks/RESULTS.md
/// §46). A round the host does not take (its silo dying) loses its indicator updates, counted (the areas' next updates
/// carry complete figures), and keeps its alarm events, in order, for the next round, like the streams' alarm events
/// (docs/live.md §6); past <c>kept</c> the oldest go, counted. Used by the publisher's loop only (one round at a time).
/// </summary>
public sealed class ScenarioFeed(Func<ILiveUpdate[], Task> send, LiveStats stats, int kept)
{
    // One destination, the host: its only key.
    private const string Host = "host";
    private readonly KeptAlarms<string> _pending = new(kept);

    /// <summary>Alarm events a failed round left, sent first in the next round.</summary>
    public bool HasPending => _pending.Count > 0;

    /// <summary>Sends the kept alarm events and then <paramref name="round"/>; the error when the host did not take them.</summary>
    public async Task<Exception?> SendAsync(IReadOnlyList<ILiveUpdate> round)
    {
        if (round.Count == 0 && _pending.Count == 0)
        {
            return null;
        }

        // The kept alarm events first, then the round: one array, handed to the host as it is.
        var updates = new ILiveUpdate[_pending.Count + round.Count];
        var n = 0;
        foreach (var (_, alarms) in _pending.TakeAll())
        {
            foreach (var alarm in alarms)
            {
                updates[n++] = alarm;
            }
        }

        for (var i = 0; i < round.Count; i++)
        {
            updates[n++] = round[i];
        }

        try
        {
            await send(updates);
            stats.ScenarioTaken(updates.Length);
            return null;
        }
        catch (Exception ex)
        {
            _pending.Keep(Host, updates.OfType<AlarmUpdate>());
            _pending.Trim();
            stats.ScenarioDrop(updates.Length - _pending.Count);
            return ex;
        }
    }

    /// <summary>The silo is leaving: what is kept will not be sent (counted as dropped).</summary>
    public void Abandon()
    {
        stats.ScenarioDrop(_pending.Count);
        _pending.TakeAll();
    }
}
