using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Limits;
using CitySense.Ingest.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using CitySense.Ingest.Settings;

namespace CitySense.Ingest.Mqtt;

/// <summary>
/// Subscribes to an external broker with QoS 1, a fixed client id and a persistent session (CleanStart=false). QoS 1
/// messages are acknowledged by the <see cref="IngestWorker"/> only after their readings are applied, so a crash means
/// redelivery, not loss; Receive Maximum bounds what the broker sends ahead (backpressure). QoS 0 messages past the
/// silo's capacity are dropped and counted (see <see cref="IngestPipeline.TrySubmit"/>). The connection's liveness is
/// judged by what arrives (see <see cref="ConnectionLiveness"/>), never by the apply backlog. With Mqtt:Connections > 1
/// it keeps that many connections in one shared subscription, each with its own session and receive loop.
/// </summary>
public sealed partial class ExternalBrokerClient(
    IngestPipeline pipeline,
    IngestStats stats,
    IOptions<MqttOptions> options,
    MqttEdgeStatus status,
    TimeProvider time,
    ILogger<ExternalBrokerClient> logger,
    PublishRateLimiter limits) : BackgroundService
{
    // How often a summary of dropped QoS 0 messages may be logged: overload lasts, the log should not grow with it.
    private static readonly TimeSpan DropLogEvery = TimeSpan.FromMinutes(1);

    private IMqttClient[] _clients = [];
    private ConnectionLiveness[] _liveness = [];
    private bool[] _reconnect = [];
    private bool _stopping;
    private long _droppedAtLastLog;
    private long _lastDropLog = long.MinValue / 2;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        status.Mode = MqttMode.External;
        status.Endpoint = $"mqtt://{o.Host}:{o.Port}";
        var count = Math.Max(1, o.Connections);
        var factory = new MqttClientFactory(new MqttNetLogBridge(logger));
        _clients = Enumerable.Range(0, count).Select(_ => factory.CreateMqttClient()).ToArray();
        _liveness = Enumerable.Range(0, count).Select(_ => new ConnectionLiveness()).ToArray();
        _reconnect = new bool[count];
        pipeline.RedeliveryRequested += () =>
        {
            // Which connection delivered the failed batch's messages is not tracked: resume every session.
            for (var i = 0; i < _reconnect.Length; i++)
            {
                Volatile.Write(ref _reconnect[i], true);
            }
        };

        await Task.WhenAll(Enumerable.Range(0, count).Select(i => RunConnectionAsync(i, stoppingToken)));
    }

    /// <summary>One connection's life: connect (resuming its session), subscribe, keep it alive, reconnect with backoff when lost.</summary>
    private async Task RunConnectionAsync(int index, CancellationToken stoppingToken)
    {
        var o = options.Value;
        var client = _clients[index];
        var liveness = _liveness[index];
        var clientId = index == 0 ? o.ClientId : $"{o.ClientId}-{index + 1}";
        // Several connections of one silo must share the messages, not each get them all.
        var group = !string.IsNullOrEmpty(o.SharedGroup) ? o.SharedGroup : _clients.Length > 1 ? o.ClientId : null;
        var filter = group is null ? o.TopicFilter : $"$share/{group}/{o.TopicFilter}";
        client.ApplicationMessageReceivedAsync += e =>
        {
            liveness.Heard();
            return OnMessageAsync(e);
        };
        client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected && !Volatile.Read(ref _stopping))
            {
                var why = e.Exception?.Message ?? e.ReasonString ?? e.Reason.ToString();
                status.CountDisconnect($"{clientId}: {e.Reason}: {why}", time.GetUtcNow());
                LogDisconnected(status.Endpoint, clientId, e.Reason.ToString(), why);
            }

            return Task.CompletedTask;
        };

        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(o.Host, o.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)o.SessionExpiry.TotalSeconds)
            .WithReceiveMaximum((ushort)Math.Clamp(o.ReceiveMaximum, 1, ushort.MaxValue))
            .WithKeepAlivePeriod(ConnectionLiveness.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (!string.IsNullOrEmpty(o.Username))
        {
            builder.WithCredentials(o.Username, o.Password);
        }

        var clientOptions = builder.Build();
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!client.IsConnected)
            {
                try
                {
                    var result = await client.ConnectAsync(clientOptions, stoppingToken);
                    liveness.Connected();
                    // Subscribing again on a resumed session is harmless and covers a broker that lost it.
                    await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                        .WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build(), stoppingToken);
                    status.Connected = _clients.All(c => c.IsConnected);
                    status.Since = time.GetUtcNow();
                    status.LastError = null;
                    delay = TimeSpan.FromMilliseconds(200);
                    LogConnected(status.Endpoint, clientId, result.IsSessionPresent);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    status.Connected = false;
                    status.LastError = ex.Message;
                    LogConnectFailed(status.Endpoint, ex.Message, delay.TotalSeconds);
                    await Task.Delay(delay, stoppingToken).ContinueWith(static _ => { }, TaskScheduler.Default);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
                    continue;
                }
            }

            if (Volatile.Read(ref _reconnect[index]) && client.IsConnected)
            {
                // A batch failed: resuming the session makes the broker redeliver what was not acknowledged.
                Volatile.Write(ref _reconnect[index], false);
                LogReconnectingForRedelivery();
                await DisconnectQuietlyAsync(client);
                continue;
            }

            if (client.IsConnected && liveness.IsSilent())
            {
                LogSilent(status.Endpoint, clientId, ConnectionLiveness.SilentAfter.TotalSeconds);
                await DisconnectQuietlyAsync(client);
                continue;
            }

            if (client.IsConnected && liveness.PingDue())
            {
                _ = PingAsync(client, liveness, stoppingToken);
            }

            status.Connected = _clients.All(c => c.IsConnected);
            await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// One PINGREQ, its PINGRESP awaited for as long as the connection may stay silent: a PINGRESP queued behind a
    /// backlog is late, not missing. Sending it also keeps MQTTnet's own keep-alive (with its short timeout) from pinging.
    /// </summary>
    private static async Task PingAsync(IMqttClient client, ConnectionLiveness liveness, CancellationToken stoppingToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(ConnectionLiveness.SilentAfter);
            await client.PingAsync(timeout.Token).ConfigureAwait(false);
            liveness.Heard();
        }
        catch (Exception)
        {
            // Unanswered or the connection went: the silence check decides, and the disconnect event says why.
        }
    }

    private static Task DisconnectQuietlyAsync(IMqttClient client) =>
        client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None)
            .ContinueWith(static _ => { }, TaskScheduler.Default);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Stay connected until what was received is applied, so its acknowledgements reach the broker; messages that
        // arrive meanwhile are refused and stay unacknowledged, for the broker to redeliver.
        await pipeline.CompleteAndDrainAsync(cancellationToken);
        Volatile.Write(ref _stopping, true);
        foreach (var client in _clients)
        {
            if (client.IsConnected)
            {
                // Disconnect keeps the session: what was not acknowledged is redelivered to the next silo that takes the client id.
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            }

            client.Dispose();
        }

        status.Connected = false;
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (!TelemetryTopics.IsTelemetry(message.Topic))
        {
            return;
        }

        try
        {
            if (message.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce)
            {
                // Nothing to acknowledge, and nothing gained by waiting: MQTTnet keeps reading the socket into its own
                // unbounded queue meanwhile. Past capacity the message is dropped and counted.
                if (limits.Admit(message.Topic, clientId: null) == RateLimitVerdict.Admitted
                    && !pipeline.TrySubmit(message.Topic, message.Payload, clientId: null, out _))
                {
                    stats.Dropped(message.Payload.Length);
                    LogDropsNow();
                }

                return;
            }

            e.AutoAcknowledge = false;
            // A device over its rate is refused undecoded; its acknowledgement still waits its turn (PUBACKs go in order).
            if (limits.Admit(message.Topic, clientId: null) != RateLimitVerdict.Admitted)
            {
                pipeline.AcknowledgeInTurn(e);
                return;
            }

            // The worker acknowledges; the returned task is not awaited so the next message can be decoded meanwhile.
            _ = await pipeline.SubmitAsync(message.Topic, message.Payload, clientId: null, e);
        }
        catch (InvalidOperationException)
        {
            // Shutting down: leave it unacknowledged, the broker redelivers it.
        }
    }

    /// <summary>The first drop is logged at once, then a summary at most once a minute.</summary>
    private void LogDropsNow()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastDropLog);
        if (now - last < (long)DropLogEvery.TotalMilliseconds || Interlocked.CompareExchange(ref _lastDropLog, now, last) != last)
        {
            return;
        }

        var total = stats.DroppedMessages;
        var since = total - Interlocked.Exchange(ref _droppedAtLastLog, total);
        LogDropped(since, total, pipeline.QueuedBatches);
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Connected to MQTT broker {Endpoint} as {ClientId} (session resumed: {SessionPresent})")]
    private partial void LogConnected(string endpoint, string clientId, bool sessionPresent);

    [LoggerMessage(EventId = 412, Level = LogLevel.Warning, Message = "A batch failed; reconnecting so the broker redelivers what was not acknowledged")]
    private partial void LogReconnectingForRedelivery();

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Cannot connect to MQTT broker {Endpoint}: {Error}; retrying in {Seconds} s")]
    private partial void LogConnectFailed(string endpoint, string error, double seconds);

    [LoggerMessage(EventId = 413, Level = LogLevel.Warning, Message = "Connection to MQTT broker {Endpoint} as {ClientId} lost ({Reason}): {Why}; reconnecting")]
    private partial void LogDisconnected(string endpoint, string clientId, string reason, string why);

    [LoggerMessage(EventId = 414, Level = LogLevel.Warning, Message = "Nothing arrived from MQTT broker {Endpoint} as {ClientId} for {Seconds} s, not even a PINGRESP: replacing the connection")]
    private partial void LogSilent(string endpoint, string clientId, double seconds);

    [LoggerMessage(EventId = 415, Level = LogLevel.Warning, Message = "Ingest is past capacity: dropped {Dropped} QoS 0 messages since the last report ({Total} in all, {Queued} batches queued). Publish at QoS 1 for readings that must not be lost; add silos for capacity (docs/operations.md)")]
    private partial void LogDropped(long dropped, long total, int queued);
}
