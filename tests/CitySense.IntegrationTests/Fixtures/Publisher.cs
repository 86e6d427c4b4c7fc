using MQTTnet;
using MQTTnet.Protocol;

namespace CitySense.IntegrationTests.Fixtures;

/// <summary>A device-side MQTT client (MQTTnet), publishing with QoS 1 by default.</summary>
public sealed class Publisher : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    /// <param name="configure">Credentials, TLS and the like, for the security tests.</param>
    public static async Task<Publisher> ConnectAsync(int port, string clientId, Action<MqttClientOptionsBuilder>? configure = null)
    {
        var publisher = new Publisher();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500);
        configure?.Invoke(builder);
        await publisher._client.ConnectAsync(builder.Build());
        return publisher;
    }

    /// <summary>The SUBACK reason of one subscription (MQTT 5).</summary>
    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter)
    {
        var result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return result.Items.Single().ResultCode;
    }

    /// <summary>Returns the PUBACK reason code (MQTT 5).</summary>
    public async Task<MqttClientPublishReasonCode> PublishAsync(string topic, string payload, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce)
    {
        var result = await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(qos).Build());
        return result.ReasonCode;
    }

    public async Task PublishBytesAsync(string topic, byte[] payload)
    {
        await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
