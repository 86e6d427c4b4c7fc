using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Decoding;
using CitySense.Ingest.Rejections;
using CitySense.Ingest.Security;
using Microsoft.Extensions.Options;
using CitySense.Ingest.Settings;

namespace CitySense.Ingest.Limits;

/// <summary>
/// Per-device and per-connection token buckets, checked before a message is decoded or queued: a babbling device's
/// excess is refused, counted (reason <c>rate-limited</c>) and never takes space in an ingest batch, so the devices that
/// behave keep the whole pipeline. The device is the topic (one device, or one gateway); the connection is the MQTT
/// client id (embedded broker only: behind an external broker the silo sees one connection).
/// </summary>
public sealed class PublishRateLimiter
{
    // Topics tracked at once; about 200 bytes each. Past it, buckets that refilled are dropped (see TokenBuckets).
    private const int MaxTrackedTopics = 1_000_000;
    private const int MaxTrackedConnections = 100_000;

    private readonly TokenBuckets? _devices;
    private readonly TokenBuckets? _connections;
    private readonly RejectionLog _rejections;
    private readonly SecurityLog _security;

    public PublishRateLimiter(IOptions<IngestOptions> options, RejectionLog rejections, SecurityLog security, TimeProvider time)
    {
        var o = options.Value;
        Device = o.DeviceRateLimit;
        Connection = o.ConnectionRateLimit;
        _devices = Device.Enabled ? new TokenBuckets(Device, time, MaxTrackedTopics) : null;
        _connections = Connection.Enabled ? new TokenBuckets(Connection, time, MaxTrackedConnections) : null;
        _rejections = rejections;
        _security = security;
    }

    public RateLimitOptions Device { get; }

    public RateLimitOptions Connection { get; }

    /// <summary>Takes a token from the topic's and the connection's bucket; when either is empty, records why and refuses.</summary>
    public RateLimitVerdict Admit(string topic, string? clientId)
    {
        if (_devices is not null && !_devices.TryTake(topic))
        {
            Refuse(RateLimitVerdict.DeviceLimited, topic, clientId);
            return RateLimitVerdict.DeviceLimited;
        }

        if (_connections is not null && clientId is not null && !_connections.TryTake(clientId))
        {
            Refuse(RateLimitVerdict.ConnectionLimited, topic, clientId);
            return RateLimitVerdict.ConnectionLimited;
        }

        return RateLimitVerdict.Admitted;
    }

    /// <summary>A connection that closed: its bucket goes (the topic buckets stay, so reconnecting buys no new burst).</summary>
    public void Forget(string? clientId)
    {
        if (clientId is not null)
        {
            _connections?.Remove(clientId);
        }
    }

    private void Refuse(RateLimitVerdict verdict, string topic, string? clientId)
    {
        string? community = null, device = null;
        if (TopicParser.TryParse(topic, out var parts) == RejectionReason.None)
        {
            var span = topic.AsSpan();
            community = AreaKeys.Community(span[parts.District].ToString(), span[parts.Community].ToString());
            device = parts.Type == TopicKind.Device ? span[parts.Leaf].ToString() : null;
        }

        var (reason, detail) = verdict == RateLimitVerdict.DeviceLimited
            ? (SecurityReason.DeviceRateLimited, $"over {Device.MessagesPerSecond} messages/s (burst {Device.Burst}) on this topic")
            : (SecurityReason.ConnectionRateLimited, $"over {Connection.MessagesPerSecond} messages/s (burst {Connection.Burst}) on this connection");
        _rejections.Record(RejectionReason.RateLimited, topic, clientId, community, device, detail, default);
        _security.Record(reason, clientId, null, null, topic, detail);
    }
}
