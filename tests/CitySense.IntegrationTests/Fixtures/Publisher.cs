using MQTTnet;
using MQTTnet.Protocol;

namespace CitySense.IntegrationTests.Fixtures;

/// <summary>A device-side MQTT client (MQTTnet), publishing with QoS 1 by default.</summary>
public sealed class Publisher : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public static async Task<Publisher> ConnectAsync(int port, string clientId)
    {
        var publisher = new Publisher();
        await publisher._client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .Build());
        return publisher;
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
