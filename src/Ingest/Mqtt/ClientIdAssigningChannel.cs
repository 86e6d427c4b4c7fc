using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Packets;

namespace CitySense.Ingest.Mqtt;

/// <summary>
/// One client connection of the embedded broker. Its first packet is the CONNECT: an MQTT 3.1.1 (or 3.1) clean session
/// without a client id gets one (<c>assign</c>, given the user name) before MQTTnet sees the packet, as the 3.1.1
/// specification allows a server to (§3.1.3.1). A persistent session without an id stays refused (the specification
/// requires it); MQTT 5 clients are assigned theirs by the broker's connection event, which MQTT 5 lets it report back.
/// Every other packet passes through untouched.
/// </summary>
internal sealed class ClientIdAssigningChannel(IMqttChannelAdapter inner, Func<string?, string> assign) : IMqttChannelAdapter
{
    private bool _connectSeen;

    public long BytesReceived => inner.BytesReceived;

    public long BytesSent => inner.BytesSent;

    public X509Certificate2? ClientCertificate => inner.ClientCertificate;

    public EndPoint? RemoteEndPoint => inner.RemoteEndPoint;

    public EndPoint? LocalEndPoint => inner.LocalEndPoint;

    public bool IsSecureConnection => inner.IsSecureConnection;

    public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    // After the CONNECT the inner task is returned as it is: nothing added per packet on the hot path.
    public Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken) =>
        _connectSeen ? inner.ReceivePacketAsync(cancellationToken) : ReceiveConnectAsync(cancellationToken);

    public void ResetStatistics() => inner.ResetStatistics();

    public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken) => inner.SendPacketAsync(packet, cancellationToken);

    public void Dispose() => inner.Dispose();

    private async Task<MqttPacket> ReceiveConnectAsync(CancellationToken cancellationToken)
    {
        var packet = await inner.ReceivePacketAsync(cancellationToken);
        _connectSeen = true;
        if (packet is MqttConnectPacket { CleanSession: true } connect && string.IsNullOrEmpty(connect.ClientId)
            && inner.PacketFormatterAdapter.ProtocolVersion != MqttProtocolVersion.V500)
        {
            connect.ClientId = assign(connect.Username);
        }

        return packet;
    }
}
