using CitySense.Contracts.Live;
using Orleans.Runtime;

namespace CitySense.Live;

/// <summary>
/// Whether a live stream has a consumer, asked of Orleans' pubsub at most once per
/// <see cref="LiveOptions.StreamConsumerCheck"/> per stream. A memory stream serializes, queues and caches every event
/// whether or not anyone reads it: at 5 000 communities the communities' and districts' streams carried two of every
/// three events with nobody subscribed, and the city's the third (what that cost at a million devices:
/// benchmarks/RESULTS.md §45, §46; the scenario host is called directly, not subscribed). A lookup that fails counts
/// as a consumer: an event too many is cheaper than one lost. Used by the stream publisher's loop only (one round at a
/// time), so it needs no locking.
/// </summary>
public sealed class StreamConsumers
{
    // Stream ids come from area keys, and those from topics: a flood of invented communities must not grow this without bound.
    private const int MaxKnown = 200_000;

    private readonly Func<StreamId, Task<bool>> _lookup;
    private readonly long _checkTicks;
    private readonly Dictionary<StreamId, (bool Consumed, long CheckedAt)> _known = [];

    /// <param name="lookup">Whether the stream has a consumer now (Orleans' pubsub).</param>
    /// <param name="check">How long an answer holds; zero: every stream counts as consumed, nothing is asked.</param>
    public StreamConsumers(Func<StreamId, Task<bool>> lookup, TimeSpan check)
    {
        _lookup = lookup;
        _checkTicks = (long)(check.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
    }

    /// <summary>True while consumer checks are on: every stream's publishing then depends on a consumer.</summary>
    public bool Checks => _checkTicks > 0;

    /// <summary>
    /// Answers for every stream of <paramref name="ids"/> while <see cref="Checks"/>, asking Orleans (all at once) for
    /// those not asked within the check interval. Then <see cref="IsConsumed"/> answers from what was learned.
    /// </summary>
    public async Task RefreshAsync(IEnumerable<StreamId> ids)
    {
        if (!Checks)
        {
            return;
        }

        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        List<StreamId>? stale = null;
        foreach (var id in ids)
        {
            if (!_known.TryGetValue(id, out var known) || now - known.CheckedAt >= _checkTicks)
            {
                (stale ??= []).Add(id);
            }
        }

        if (stale is null)
        {
            return;
        }

        var answers = await Task.WhenAll(stale.Select(AskAsync));
        if (_known.Count + stale.Count > MaxKnown)
        {
            _known.Clear();
        }

        for (var i = 0; i < stale.Count; i++)
        {
            _known[stale[i]] = (answers[i], now);
        }
    }

    /// <summary>Whether to publish on the stream: what the last check found (not asked yet: yes).</summary>
    public bool IsConsumed(StreamId id) => !Checks || !_known.TryGetValue(id, out var known) || known.Consumed;

    private async Task<bool> AskAsync(StreamId id)
    {
        try
        {
            return await _lookup(id);
        }
        catch (Exception)
        {
            // Pubsub unreachable (its silo dying): publish, as before consumer checks.
            return true;
        }
    }
}
