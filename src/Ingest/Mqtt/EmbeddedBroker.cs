using System.Net;
using CitySense.Contracts.Telemetry;
using System.Security.Cryptography.X509Certificates;
using CitySense.Ingest.Limits;
using CitySense.Ingest.Pipeline;
using CitySense.Ingest.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;
using CitySense.Ingest.Settings;

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
    ILogger<EmbeddedBroker> logger,
    BrokerAccessControl access,
    PublishRateLimiter limits,
    KeptTopicsDelivery kept) : IHostedService, IAsyncDisposable
{
    private MqttServer? _server;
    private X509Certificate2? _certificate;

    public MqttServer? Server => _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var bind = IPAddress.Parse(o.BindAddress);
        var (v4, v6) = BindAddresses.Split(bind);
        var builder = new MqttServerFactory().CreateServerOptionsBuilder();
        if (!o.Tls.Enabled || !o.Tls.DisablePlainEndpoint)
        {
            builder.WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(v4).WithDefaultEndpointBoundIPV6Address(v6)
                .WithDefaultEndpointPort(o.Port);
        }
        else
        {
            builder.WithoutDefaultEndpoint();
        }

        if (o.Tls.Enabled)
        {
            _certificate = X509CertificateLoader.LoadPkcs12FromFile(o.Tls.CertificatePath!, o.Tls.CertificatePassword);
            builder.WithEncryptedEndpoint().WithEncryptedEndpointBoundIPAddress(v4).WithEncryptedEndpointBoundIPV6Address(v6)
                .WithEncryptedEndpointPort(o.Tls.Port)
                .WithEncryptionCertificate(_certificate);
        }

        // The listeners MQTTnet would use, each wrapped so that an MQTT 3.1.1 clean session without a client id gets one.
        var factory = new MqttServerFactory();
        _server = factory.CreateMqttServer(builder.Build(), factory.DefaultServerAdapters.Select(create => new ClientIdAssigningServerAdapter(create(factory), AssignedId)).ToList());
        _server.ValidatingConnectionAsync += AssignClientId;
        access.Attach(_server);
        kept.Attach(_server);
        _server.InterceptingPublishAsync += OnPublishAsync;
        _server.ClientConnectedAsync += _ =>
        {
            status.CountConnection(+1);
            return Task.CompletedTask;
        };
        _server.ClientDisconnectedAsync += e =>
        {
            status.CountConnection(-1);
            limits.Forget(e.ClientId);
            return Task.CompletedTask;
        };
        await _server.StartAsync();
        status.Mode = MqttMode.Embedded;
        status.Endpoint = o.Tls.Enabled && o.Tls.DisablePlainEndpoint ? $"mqtts://{o.BindAddress}:{o.Tls.Port}" : $"mqtt://{o.BindAddress}:{o.Port}";
        status.Connected = true;
        status.Since = time.GetUtcNow();
        LogListening(status.Endpoint);
        if (o.Tls.Enabled)
        {
            LogTls(o.BindAddress, o.Tls.Port, _certificate!.Subject, _certificate.NotAfter);
        }

        WarnAboutExposure(o, bind);
    }

    private void WarnAboutExposure(MqttOptions o, IPAddress bind)
    {
        if (IPAddress.IsLoopback(bind))
        {
            return;
        }

        if (!access.Enabled)
        {
            LogOpenBroker(o.BindAddress, o.Port);
        }
        else if (!o.Tls.Enabled || !o.Tls.DisablePlainEndpoint)
        {
            LogPlainSecrets(o.BindAddress, o.Port);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Refuse new telemetry, let what was accepted be applied (its publishers get their PUBACKs), then close.
        kept.Stop();
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
        _certificate?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// MQTT 5 lets a client connect with an empty client id and have the server assign one (mosquitto_pub -V mqttv5 does
    /// so by default); MQTTnet refuses such a client unless a handler assigns it. MQTT 3.1.1 clean sessions are assigned
    /// theirs before MQTTnet sees the CONNECT (<see cref="ClientIdAssigningChannel"/>).
    /// </summary>
    private Task AssignClientId(ValidatingConnectionEventArgs e)
    {
        if (string.IsNullOrEmpty(e.ClientId) && e.ProtocolVersion == MQTTnet.Formatter.MqttProtocolVersion.V500)
        {
            e.AssignedClientIdentifier = AssignedId(e.UserName);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The id of a client that sent none: with credentials on, a device's client id is its user name (docs/security.md),
    /// so it is assigned that; on the open broker a unique one.
    /// </summary>
    private string AssignedId(string? userName) => access.Enabled && !string.IsNullOrEmpty(userName) ? userName : $"auto-{Guid.NewGuid():N}";

    private async Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (SiloPublications.IsOwn(e.ClientId, message.Topic))
        {
            return;
        }

        // Access and rate are checked for every topic: the broker routes the others too.
        if (!access.AllowPublish(e))
        {
            return;
        }

        if (limits.Admit(message.Topic, e.ClientId) != RateLimitVerdict.Admitted)
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
            e.Response.ReasonString = PublishOutcome.RefusedText(RejectionReason.RateLimited);
            return;
        }

        if (!TelemetryTopics.IsTelemetry(message.Topic))
        {
            return;
        }

        Submission submitted;
        try
        {
            submitted = await pipeline.SubmitAsync(message.Topic, message.Payload, e.ClientId);
        }
        catch (InvalidOperationException)
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
            e.Response.ReasonString = "CitySense is shutting down";
            return;
        }

        var result = submitted.Result;
        if (result.RefusedWhole)
        {
            // Decided now: the publisher hears why at once, and the refused message goes to no subscriber. Its
            // rejections still ride the batch into the community's indicators; nothing waits for that.
            e.ProcessPublish = false;
            e.Response.ReasonCode = PublishOutcome.ForRefused(message.Topic);
            e.Response.ReasonString = PublishOutcome.RefusedText(result.FirstRejection);
            return;
        }

        if (message.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce)
        {
            return;
        }

        try
        {
            // QoS 1 and 2: acknowledged (PUBACK, PUBREC) once the readings are applied.
            await submitted.Applied;
            e.Response.ReasonString = PublishOutcome.PartialText(result);
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

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Embedded MQTT broker TLS endpoint on {Address}:{Port}, certificate {Subject} valid until {NotAfter}")]
    private partial void LogTls(string address, int port, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "SECURITY: the embedded MQTT broker listens on {Address}:{Port}, beyond loopback, WITHOUT AUTHENTICATION: anyone who reaches it can publish telemetry for any device and read every message. Set Mqtt:CredentialsFile (docs/security.md) or bind to 127.0.0.1.")]
    private partial void LogOpenBroker(string address, int port);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "SECURITY: device secrets reach the embedded MQTT broker in clear text on {Address}:{Port}; configure Mqtt:Tls and set Mqtt:Tls:DisablePlainEndpoint=true (docs/security.md).")]
    private partial void LogPlainSecrets(string address, int port);
}
