using CitySense.Contracts.Telemetry;
using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using CitySense.Contracts.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CitySense.Live;

/// <summary>
/// Republishes indicators and alarms as MQTT messages for scenario apps that speak MQTT: into the embedded broker
/// (injected, as if the silo had published them) or, in external mode, through a client of its own. Behind its own
/// bounded queue; what cannot be sent (queue full, broker away) is dropped and counted, and retained indicator topics
/// make a late or reconnected subscriber current again.
/// </summary>
public sealed partial class MqttRepublisher : BackgroundService
{
    internal const string ContentType = "application/json";

    // Publishes to an external broker kept in flight at once (further capped by the broker's Receive Maximum). One at
    // a time, each QoS 1 alarm message waited for its PUBACK before the next was sent: a round trip, a receive and two
    // thread wake-ups per message, about 4 µs of silo CPU per reading under an alarm storm at 100 000 readings/s
    // (RESULTS.md §28). MQTTnet sends concurrent publishes in the order they were started (its send lock queues them
    // first come, first served), so every subscriber still gets an alarm's changes in order.
    private const int MaxInFlight = 16;

    private readonly Channel<ILiveUpdate> _queue;
    private readonly LiveOptions _options;
    private readonly ISiloBroker? _broker;
    private readonly LiveStats _stats;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttRepublisher> _logger;
    private readonly bool _enabled;
    private readonly bool _brokerRetainsCommunities;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private IMqttClient? _client;
    private int _windowSize = 1;
    private readonly Queue<Task> _inFlight = new();
    private DateTimeOffset _nextConnectAttempt;
    private TimeSpan _connectDelay = TimeSpan.FromMilliseconds(500);

    public MqttRepublisher(IOptions<LiveOptions> options, IServiceProvider services, LiveStats stats, TimeProvider time, ILogger<MqttRepublisher> logger)
    {
        _options = options.Value;
        // Absent where the silo has no MQTT edge (grain test clusters): nowhere to publish.
        _broker = services.GetService<ISiloBroker>();
        _stats = stats;
        _time = time;
        _logger = logger;
        _enabled = _options.MqttRepublish && _broker is not null;
        // On the embedded broker the silo serves community figures to new subscribers itself (KeptCommunityFigures).
        _brokerRetainsCommunities = _options.RetainCommunityIndicators && !KeptCommunityFigures.KeptBySilo(_options, _broker);
        _queue = Channel.CreateBounded<ILiveUpdate>(new BoundedChannelOptions(Math.Max(1, _options.PublishQueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
    }

    /// <summary>Updates waiting to be republished now.</summary>
    internal int Queued => _queue.Reader.Count;

    /// <summary>Called by the pump only; never blocks.</summary>
    internal void Offer(IReadOnlyList<ILiveUpdate> updates)
    {
        if (!_enabled)
        {
            return;
        }

        foreach (var update in updates)
        {
            if (!_options.CommunityFanOut && update is IndicatorUpdate { Level: LiveLevels.Community })
            {
                // Live:CommunityFanOut off: community figures have no MQTT topic (not a drop: nothing was meant to go).
                continue;
            }

            if (!_queue.Writer.TryWrite(update))
            {
                // Rare (the queue is full): an alarm is as many messages as it has topics.
                _stats.MqttDrop(update is AlarmUpdate a ? LiveTopics.Alarms(_options.MqttTopicPrefix, a.Alarm, _options.CommunityFanOut).Length : 1);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_enabled)
        {
            return;
        }

        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (reader.TryRead(out var update))
                {
                    switch (update)
                    {
                        case IndicatorUpdate u:
                            await PublishAsync(LiveTopics.Indicators(_options.MqttTopicPrefix, u), LiveJson.IndicatorPayload(u, _buffer),
                                MqttQualityOfServiceLevel.AtMostOnce, retain: u.Level != LiveLevels.Community || _brokerRetainsCommunities, stoppingToken);
                            break;
                        case AlarmUpdate a:
                            var payload = Json(w => LiveJson.WriteAlarm(w, a, dropped: null));
                            foreach (var topic in LiveTopics.Alarms(_options.MqttTopicPrefix, a.Alarm, _options.CommunityFanOut))
                            {
                                await PublishAsync(topic, payload, MqttQualityOfServiceLevel.AtLeastOnce, retain: false, stoppingToken);
                            }

                            break;
                    }
                }

                // Nothing more queued: wait for the broker's acknowledgements, so what was sent is counted now.
                while (_inFlight.TryDequeue(out var sent))
                {
                    await sent;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: undelivered republish messages are not kept.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_client is { IsConnected: true })
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }

        _client?.Dispose();
    }

    private byte[] Json(Action<Utf8JsonWriter> write)
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            write(writer);
        }

        // The message is queued by MQTTnet beyond this call, so it gets its own copy.
        return _buffer.WrittenSpan.ToArray();
    }

    private async Task PublishAsync(string topic, byte[] payload, MqttQualityOfServiceLevel qos, bool retain, CancellationToken ct)
    {
        try
        {
            if (_broker!.IsEmbedded)
            {
                if (await _broker.InjectAsync(topic, payload, qos != MqttQualityOfServiceLevel.AtMostOnce, retain, ContentType, ct))
                {
                    _stats.MqttSent();
                }
                else
                {
                    _stats.MqttDrop();
                }

                return;
            }

            if (_broker.External is not { } endpoint || !await EnsureConnectedAsync(endpoint, ct))
            {
                _stats.MqttDrop();
                return;
            }

            var message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload)
                .WithQualityOfServiceLevel(qos)
                .WithRetainFlag(retain)
                .WithContentType(ContentType)
                .Build();
            // Started here, so it is sent after every publish started before it; completed (counted) later.
            _inFlight.Enqueue(SendAsync(_client!, topic, message, ct));
            if (_inFlight.Count >= _windowSize)
            {
                await _inFlight.Dequeue();
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _stats.MqttDrop();
            LogPublishFailed(topic, ex.Message);
        }
    }

    /// <summary>One publish through the external client, counted as sent or dropped when the broker has it; never throws.</summary>
    private async Task SendAsync(IMqttClient client, string topic, MqttApplicationMessage message, CancellationToken ct)
    {
        try
        {
            var result = await client.PublishAsync(message, ct);
            if (result.IsSuccess)
            {
                _stats.MqttSent();
            }
            else
            {
                _stats.MqttDrop();
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _stats.MqttDrop();
            LogPublishFailed(topic, ex.Message);
        }
    }

    /// <summary>External mode: connects on demand, at most once per back-off delay; meanwhile messages are dropped.</summary>
    private async Task<bool> EnsureConnectedAsync(BrokerEndpoint endpoint, CancellationToken ct)
    {
        _client ??= new MqttClientFactory().CreateMqttClient();
        if (_client.IsConnected)
        {
            return true;
        }

        var now = _time.GetUtcNow();
        if (now < _nextConnectAttempt)
        {
            return false;
        }

        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(endpoint.Host, endpoint.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId($"{endpoint.ClientId}-live")
            .WithCleanStart(true)
            // One socket write per message, not one for its header and one for its payload: small payloads, and each
            // write a system call.
            .WithoutPacketFragmentation()
            .WithTimeout(TimeSpan.FromSeconds(5));
        // Its own broker user when configured: a broker that names clients after their user (mosquitto's
        // use_username_as_clientid) would otherwise let this connection take over, and clean, the ingest session.
        if (!string.IsNullOrEmpty(_options.MqttUsername))
        {
            builder.WithCredentials(_options.MqttUsername, _options.MqttPassword);
        }
        else if (!string.IsNullOrEmpty(endpoint.Username))
        {
            builder.WithCredentials(endpoint.Username, endpoint.Password);
        }

        try
        {
            var connected = await _client.ConnectAsync(builder.Build(), ct);
            // MQTT 5: a broker takes at most Receive Maximum unacknowledged QoS 1 messages (mosquitto: 20); 0 is absent.
            _windowSize = connected.ReceiveMaximum > 0 ? Math.Min(MaxInFlight, (int)connected.ReceiveMaximum) : MaxInFlight;
            _connectDelay = TimeSpan.FromMilliseconds(500);
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _nextConnectAttempt = now + _connectDelay;
            LogConnectFailed(endpoint.Host, endpoint.Port, ex.Message, _connectDelay.TotalSeconds);
            _connectDelay = TimeSpan.FromTicks(Math.Min(_connectDelay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            return false;
        }
    }

    [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "MQTT republish to {Topic} failed: {Error}")]
    private partial void LogPublishFailed(string topic, string error);

    [LoggerMessage(EventId = 604, Level = LogLevel.Warning, Message = "MQTT republish cannot connect to {Host}:{Port}: {Error}; retrying in {Seconds} s")]
    private partial void LogConnectFailed(string host, int port, string error, double seconds);
}
