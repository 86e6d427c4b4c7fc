using System.Diagnostics;

namespace CitySense.Ingest.Mqtt;

/// <summary>
/// Whether an external-broker connection is alive, judged by what arrives on it, not by the round trip of one ping.
/// MQTTnet's own keep-alive sends PINGREQ after a keep-alive period without sending (a QoS 0 stream has no PUBACKs to
/// send) and gives the PINGRESP half a period; a broker that holds a backlog for the silo queues that PINGRESP behind
/// the backlog, so under overload the client closed a healthy connection itself and the broker dropped what it held.
/// Here any message or PINGRESP proves the connection alive, and only silence for <see cref="SilentAfter"/> ends it.
/// </summary>
public sealed class ConnectionLiveness(Func<long> clock)
{
    /// <summary>Our own PINGREQs go out this often: more often than the keep-alive, so MQTTnet never pings itself.</summary>
    public static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(5);

    /// <summary>The keep-alive the silo announces to the broker (the broker closes a silo silent for 1.5 × this).</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>No message and no PINGRESP for this long: the connection is dead (half-open) and is replaced.</summary>
    public static readonly TimeSpan SilentAfter = TimeSpan.FromSeconds(60);

    private long _lastHeard;
    private long _lastPing;

    public ConnectionLiveness() : this(Stopwatch.GetTimestamp)
    {
    }

    /// <summary>A connection was (re)established: it starts out heard from.</summary>
    public void Connected()
    {
        var now = clock();
        Volatile.Write(ref _lastHeard, now);
        Volatile.Write(ref _lastPing, now);
    }

    /// <summary>A message or a PINGRESP arrived.</summary>
    public void Heard() => Volatile.Write(ref _lastHeard, clock());

    /// <summary>True when a PINGREQ is due; the caller sends one (without waiting for its answer before the next).</summary>
    public bool PingDue()
    {
        var now = clock();
        if (Elapsed(Volatile.Read(ref _lastPing), now) < PingEvery)
        {
            return false;
        }

        Volatile.Write(ref _lastPing, now);
        return true;
    }

    /// <summary>Nothing has arrived for <see cref="SilentAfter"/>.</summary>
    public bool IsSilent() => Elapsed(Volatile.Read(ref _lastHeard), clock()) >= SilentAfter;

    private static TimeSpan Elapsed(long from, long to) => TimeSpan.FromSeconds((to - from) / (double)Stopwatch.Frequency);
}
