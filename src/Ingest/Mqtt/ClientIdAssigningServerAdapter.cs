using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Server;

namespace CitySense.Ingest.Mqtt;

/// <summary>
/// Wraps the embedded broker's listener so that every connection passes through <see cref="ClientIdAssigningChannel"/>:
/// MQTTnet.Server refuses an MQTT 3.1.1 client that sends an empty client id (`identifier rejected`), and its connection
/// event cannot change the id; the 3.1.1 specification lets a server assign one to a clean session instead, and Debian's
/// mosquitto_pub/mosquitto_sub and paho-mqtt send an empty id over 3.1.1 unless told otherwise.
/// </summary>
internal sealed class ClientIdAssigningServerAdapter(IMqttServerAdapter inner, Func<string?, string> assign) : IMqttServerAdapter
{
    private Func<IMqttChannelAdapter, Task>? _handler;

    public Func<IMqttChannelAdapter, Task>? ClientHandler
    {
        get => _handler;
        set
        {
            _handler = value;
            inner.ClientHandler = value is null ? null : channel => value(new ClientIdAssigningChannel(channel, assign));
        }
    }

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger) => inner.StartAsync(options, logger);

    public Task StopAsync() => inner.StopAsync();

    public void Dispose() => inner.Dispose();
}
