using CitySense.Ingest.Limits;
using CitySense.Ingest.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CitySense.Ingest.Mqtt;

/// <summary>
/// Subscribes to an external broker with QoS 1, a fixed client id and a persistent session (CleanStart=false). Messages
/// are acknowledged by the <see cref="IngestWorker"/> only after their readings are applied, so a crash means
/// redelivery, not loss; Receive Maximum bounds what the broker sends ahead (backpressure). With Mqtt:Connections > 1
/// it keeps that many connections in one shared subscription, each with its own session and receive loop.
/// </summary>
public sealed partial class ExternalBrokerClient(
    IngestPipeline pipeline,
    IOptions<MqttOptions> options,
    MqttEdgeStatus status,
    TimeProvider time,
    ILogger<ExternalBrokerClient> logger,
    PublishRateLimiter limits) : BackgroundService
{
    private IMqttClient[] _clients = [];
    private bool[] _reconnect = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        status.Mode = MqttMode.External;
        status.Endpoint = $"mqtt://{o.Host}:{o.Port}";
        var count = Math.Max(1, o.Connections);
        var factory = new MqttClientFactory();
        _clients = Enumerable.Range(0, count).Select(_ => factory.CreateMqttClient()).ToArray();
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

    /// <summary>One connection's life: connect (resuming its session), subscribe, reconnect with backoff when lost.</summary>
    private async Task RunConnectionAsync(int index, CancellationToken stoppingToken)
    {
        var o = options.Value;
        var client = _clients[index];
        var clientId = index == 0 ? o.ClientId : $"{o.ClientId}-{index + 1}";
        // Several connections of one silo must share the messages, not each get them all.
        var group = !string.IsNullOrEmpty(o.SharedGroup) ? o.SharedGroup : _clients.Length > 1 ? o.ClientId : null;
        var filter = group is null ? o.TopicFilter : $"$share/{group}/{o.TopicFilter}";
        client.ApplicationMessageReceivedAsync += OnMessageAsync;

        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(o.Host, o.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)o.SessionExpiry.TotalSeconds)
            .WithReceiveMaximum((ushort)Math.Clamp(o.ReceiveMaximum, 1, ushort.MaxValue))
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
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
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None)
                    .ContinueWith(static _ => { }, TaskScheduler.Default);
                continue;
            }

            status.Connected = _clients.All(c => c.IsConnected);
            await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Stay connected until what was received is applied, so its acknowledgements reach the broker; messages that
        // arrive meanwhile are refused and stay unacknowledged, for the broker to redeliver.
        await pipeline.CompleteAndDrainAsync(cancellationToken);
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
        if (!TelemetryTopics.IsTelemetry(e.ApplicationMessage.Topic))
        {
            return;
        }

        e.AutoAcknowledge = false;
        try
        {
            // A device over its rate is refused undecoded; its acknowledgement still waits its turn (PUBACKs go in order).
            if (limits.Admit(e.ApplicationMessage.Topic, clientId: null) != RateLimitVerdict.Admitted)
            {
                pipeline.AcknowledgeInTurn(e);
                return;
            }

            // The worker acknowledges; the returned task is not awaited so the next message can be decoded meanwhile.
            _ = await pipeline.SubmitAsync(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload, clientId: null, e);
        }
        catch (InvalidOperationException)
        {
            // Shutting down: leave it unacknowledged, the broker redelivers it.
        }
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Connected to MQTT broker {Endpoint} as {ClientId} (session resumed: {SessionPresent})")]
    private partial void LogConnected(string endpoint, string clientId, bool sessionPresent);

    [LoggerMessage(EventId = 412, Level = LogLevel.Warning, Message = "A batch failed; reconnecting so the broker redelivers what was not acknowledged")]
    private partial void LogReconnectingForRedelivery();

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Cannot connect to MQTT broker {Endpoint}: {Error}; retrying in {Seconds} s")]
    private partial void LogConnectFailed(string endpoint, string error, double seconds);
}
