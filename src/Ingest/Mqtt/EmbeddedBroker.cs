using System.Net;
using CitySense.Ingest.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CitySense.Ingest.Mqtt;

/// <summary>
/// MQTTnet.Server inside the silo. Telemetry is decoded in the publish interceptor, before the publisher gets its PUBACK:
/// a QoS 1 publisher is acknowledged only once its readings are applied to the grains, and a full ingest queue holds the
/// publisher's connection (backpressure) instead of buffering.
/// </summary>
public sealed partial class EmbeddedBroker(
    IngestPipeline pipeline,
    IOptions<MqttOptions> options,
    MqttEdgeStatus status,
    TimeProvider time,
    ILogger<EmbeddedBroker> logger) : IHostedService, IAsyncDisposable
{
    private MqttServer? _server;

    public MqttServer? Server => _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var serverOptions = new MqttServerFactory().CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(o.BindAddress))
            .WithDefaultEndpointPort(o.Port)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.InterceptingPublishAsync += OnPublishAsync;
        _server.ClientConnectedAsync += _ =>
        {
            status.CountConnection(+1);
            return Task.CompletedTask;
        };
        _server.ClientDisconnectedAsync += _ =>
        {
            status.CountConnection(-1);
            return Task.CompletedTask;
        };
        await _server.StartAsync();
        status.Mode = MqttMode.Embedded;
        status.Endpoint = $"mqtt://{o.BindAddress}:{o.Port}";
        status.Connected = true;
        status.Since = time.GetUtcNow();
        LogListening(status.Endpoint);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Refuse new telemetry, let what was accepted be applied (its publishers get their PUBACKs), then close.
        await pipeline.CompleteAndDrainAsync(cancellationToken);
        if (_server is not null)
        {
            await _server.StopAsync();
            status.Connected = false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (!TelemetryTopics.IsTelemetry(message.Topic))
        {
            return;
        }

        Task applied;
        try
        {
            applied = await pipeline.SubmitAsync(message.Topic, message.Payload, e.ClientId);
        }
        catch (InvalidOperationException)
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
            e.Response.ReasonString = "CitySense is shutting down";
            return;
        }

        if (message.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce)
        {
            return;
        }

        try
        {
            await applied;
        }
        catch (Exception ex)
        {
            // The publisher sees a failed PUBACK (MQTT 5) and may resend: at-least-once.
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
            e.Response.ReasonString = "readings could not be applied";
            LogApplyFailed(ex, message.Topic);
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Endpoint}")]
    private partial void LogListening(string endpoint);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Readings from {Topic} could not be applied")]
    private partial void LogApplyFailed(Exception ex, string topic);
}
