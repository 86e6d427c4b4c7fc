using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace CitySense.IntegrationTests.Alarms;

/// <summary>An MQTT subscriber of republished alarms that keeps every message it gets, in order.</summary>
public sealed class AlarmSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly List<JsonElement> _messages = [];

    public IReadOnlyList<JsonElement> Messages
    {
        get
        {
            lock (_messages)
            {
                return _messages.ToArray();
            }
        }
    }

    public static async Task<AlarmSubscriber> ConnectAsync(int port, string filter = "citysense/out/city/alarms")
    {
        var subscriber = new AlarmSubscriber();
        subscriber._client.ApplicationMessageReceivedAsync += e =>
        {
            var message = JsonDocument.Parse(Encoding.UTF8.GetString(e.ApplicationMessage.Payload)).RootElement.Clone();
            lock (subscriber._messages)
            {
                subscriber._messages.Add(message);
            }

            return Task.CompletedTask;
        };
        await subscriber._client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId($"alarms-{Guid.NewGuid():N}").Build());
        await subscriber._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return subscriber;
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
