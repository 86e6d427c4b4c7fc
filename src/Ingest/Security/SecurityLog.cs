using CitySense.Ingest.Settings;
using CitySense.Contracts.Operations;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace CitySense.Ingest.Security;

/// <summary>
/// Counts failed authentications, ACL violations and rate limiting per reason, keeps the most recent ones, and logs them
/// as warnings at most once per second per reason (an attacker must not be able to flood the log).
/// </summary>
public sealed partial class SecurityLog
{
    private const int RecentKept = 100;
    private const int MaxFieldChars = 128;

    private readonly long[] _byReason = new long[SecurityReasons.Count];
    private readonly long[] _lastLoggedTicks = new long[SecurityReasons.Count];
    private readonly long[] _suppressed = new long[SecurityReasons.Count];
    private readonly SecurityEvent?[] _recent = new SecurityEvent?[RecentKept];
    private readonly TimeProvider _time;
    private readonly ILogger<SecurityLog> _logger;
    private readonly Counter<long> _counter;
    private long _next;

    public SecurityLog(TimeProvider time, ILogger<SecurityLog> logger, IMeterFactory meters)
    {
        _time = time;
        _logger = logger;
        _counter = meters.Create(IngestMeter.Name).CreateCounter<long>("citysense.mqtt.refused", "{event}", "Refused MQTT connections, publishes and subscriptions by reason");
        Array.Fill(_lastLoggedTicks, long.MinValue);
    }

    public long Total => _byReason.Sum();

    public long Count(SecurityReason reason) => Interlocked.Read(ref _byReason[(int)reason]);

    /// <summary>Every reason, zero included, so that operators see what is watched.</summary>
    public IReadOnlyDictionary<string, long> ByReason()
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < SecurityReasons.Count; i++)
        {
            result[SecurityReasons.Name((SecurityReason)i)] = Interlocked.Read(ref _byReason[i]);
        }

        return result;
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<SecurityEvent> Recent()
    {
        var list = new List<SecurityEvent>(RecentKept);
        var next = Interlocked.Read(ref _next);
        for (var i = next - 1; i >= 0 && i >= next - RecentKept; i--)
        {
            if (Volatile.Read(ref _recent[i % RecentKept]) is { } e)
            {
                list.Add(e);
            }
        }

        return list;
    }

    public void Record(SecurityReason reason, string? clientId, string? user, string? endpoint, string? topic, string detail)
    {
        var index = (int)reason;
        Interlocked.Increment(ref _byReason[index]);
        var name = SecurityReasons.Name(reason);
        _counter.Add(1, new KeyValuePair<string, object?>("reason", name));

        var e = new SecurityEvent(_time.GetUtcNow(), name, Safe(clientId), Safe(user), Safe(endpoint), Safe(topic), detail);
        var slot = Interlocked.Increment(ref _next) - 1;
        Volatile.Write(ref _recent[slot % RecentKept], e);

        var now = _time.GetTimestamp();
        var last = Volatile.Read(ref _lastLoggedTicks[index]);
        if (last != long.MinValue && _time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(1)
            || Interlocked.CompareExchange(ref _lastLoggedTicks[index], now, last) != last)
        {
            Interlocked.Increment(ref _suppressed[index]);
            return;
        }

        LogRefused(name, e.ClientId, e.User, e.Endpoint, e.Topic, detail, Interlocked.Exchange(ref _suppressed[index], 0));
    }

    /// <summary>Client-chosen text made safe to show and log: cut short, control characters escaped.</summary>
    internal static string? Safe(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var builder = new StringBuilder(Math.Min(value.Length, MaxFieldChars) + 8);
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, MaxFieldChars)))
        {
            if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        if (value.Length > MaxFieldChars)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Warning,
        Message = "MQTT refused ({Reason}): client {ClientId}, user {User}, from {Endpoint}, topic {Topic}: {Detail} ({Suppressed} more of this reason not logged in the last second)")]
    private partial void LogRefused(string reason, string? clientId, string? user, string? endpoint, string? topic, string detail, long suppressed);
}
