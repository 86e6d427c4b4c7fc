using CitySense.Contracts.Operations;
using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using CitySense.Contracts.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CitySense.Ingest.Settings;

namespace CitySense.Ingest.Rejections;

/// <summary>
/// Counts every rejected input per reason and per community, and keeps the most recent ones for operators.
/// Memory is bounded: a fixed ring of records and one counter array per community seen.
/// </summary>
public sealed partial class RejectionLog
{
    private const int ExcerptBytes = 160;

    private readonly long[] _byReason = new long[RejectionReasons.Count];
    private readonly ConcurrentDictionary<string, long[]> _byCommunity = new(StringComparer.Ordinal);
    private readonly RejectionRecord?[] _recent;
    private readonly TimeProvider _time;
    private readonly ILogger<RejectionLog> _logger;
    private readonly Counter<long> _counter;
    private long _next;

    public RejectionLog(IOptions<IngestOptions> options, TimeProvider time, ILogger<RejectionLog> logger, IMeterFactory meters)
    {
        _recent = new RejectionRecord?[Math.Max(1, options.Value.RecentRejectionsKept)];
        _time = time;
        _logger = logger;
        _counter = meters.Create(IngestMeter.Name).CreateCounter<long>("citysense.ingest.rejected", "{reading}", "Rejected inputs by reason");
    }

    public long Total => _byReason.Sum();

    public long Count(RejectionReason reason) => Interlocked.Read(ref _byReason[(int)reason]);

    public IReadOnlyDictionary<string, long> ByReason()
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 1; i < _byReason.Length; i++)
        {
            var n = Interlocked.Read(ref _byReason[i]);
            if (n > 0)
            {
                result[RejectionReasons.Name((RejectionReason)i)] = n;
            }
        }

        return result;
    }

    /// <summary>Per community key ("{district}/{community}"), per reason name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ByCommunity()
    {
        var result = new SortedDictionary<string, IReadOnlyDictionary<string, long>>(StringComparer.Ordinal);
        foreach (var (community, counts) in _byCommunity)
        {
            var perReason = new SortedDictionary<string, long>(StringComparer.Ordinal);
            for (var i = 1; i < counts.Length; i++)
            {
                var n = Interlocked.Read(ref counts[i]);
                if (n > 0)
                {
                    perReason[RejectionReasons.Name((RejectionReason)i)] = n;
                }
            }

            result[community] = perReason;
        }

        return result;
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<RejectionRecord> Recent()
    {
        var list = new List<RejectionRecord>(_recent.Length);
        var next = Interlocked.Read(ref _next);
        for (long i = next - 1; i >= 0 && i >= next - _recent.Length; i--)
        {
            if (Volatile.Read(ref _recent[i % _recent.Length]) is { } record)
            {
                list.Add(record);
            }
        }

        return list;
    }

    public void Record(
        RejectionReason reason,
        string topic,
        string? clientId,
        string? communityKey,
        string? device,
        string detail,
        in ReadOnlySequence<byte> payload)
    {
        Interlocked.Increment(ref _byReason[(int)reason]);
        if (communityKey is not null)
        {
            var counts = _byCommunity.GetOrAdd(communityKey, static _ => new long[RejectionReasons.Count]);
            Interlocked.Increment(ref counts[(int)reason]);
        }

        var name = RejectionReasons.Name(reason);
        _counter.Add(1, new KeyValuePair<string, object?>("reason", name));

        var record = new RejectionRecord(_time.GetUtcNow(), name, Truncate(topic, 256), clientId, device, detail, Excerpt(payload));
        var slot = Interlocked.Increment(ref _next) - 1;
        Volatile.Write(ref _recent[slot % _recent.Length], record);
        LogRejected(name, record.Topic, detail);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : string.Concat(value.AsSpan(0, max), "…");

    private static string Excerpt(in ReadOnlySequence<byte> payload)
    {
        var length = (int)Math.Min(payload.Length, ExcerptBytes);
        Span<byte> bytes = stackalloc byte[ExcerptBytes];
        payload.Slice(0, length).CopyTo(bytes);
        // Replacement characters for invalid UTF-8 keep the excerpt printable; control characters are escaped for log safety.
        var text = Encoding.UTF8.GetString(bytes[..length]);
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        if (payload.Length > ExcerptBytes)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Rejected input ({Reason}) on {Topic}: {Detail}")]
    private partial void LogRejected(string reason, string topic, string detail);
}
