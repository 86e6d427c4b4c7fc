using CitySense.Contracts.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using CitySense.Ingest.Settings;

namespace CitySense.Ingest.Mqtt;

/// <summary>The edge's broker as other parts see it: the embedded broker to inject into, or the external one's address.</summary>
internal sealed class SiloBroker(IOptions<MqttOptions> options, IServiceProvider services) : ISiloBroker
{
    private readonly MqttOptions _options = options.Value;
    // Resolved lazily: the broker is a hosted service registered after this, and absent in external mode.
    private readonly Lazy<EmbeddedBroker?> _embedded = new(services.GetService<EmbeddedBroker>);

    public bool IsEmbedded => _options.Mode == MqttMode.Embedded;

    public BrokerEndpoint? External => _options.Mode == MqttMode.External
        ? new BrokerEndpoint(_options.Host ?? string.Empty, _options.Port, _options.ClientId, _options.Username, _options.Password)
        : null;

    public async Task<bool> InjectAsync(string topic, byte[] payload, bool atLeastOnce, bool retain, string contentType, CancellationToken cancellationToken)
    {
        if (_embedded.Value?.Server is not { IsStarted: true } server)
        {
            return false;
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(atLeastOnce ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce)
            .WithRetainFlag(retain)
            .WithContentType(contentType)
            .Build();
        await server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = SiloPublications.SenderClientId }, cancellationToken);
        return true;
    }
}
