using System.Net;
using System.Net.Sockets;

namespace CitySense.Ingest.Mqtt;

/// <summary>
/// MQTTnet's server opens an IPv4 and an IPv6 listener per endpoint, and the IPv6 one binds <c>[::]</c> unless told
/// otherwise: a broker configured for 127.0.0.1 was reachable from the IPv6 network. Mqtt:BindAddress names exactly one
/// address, so the other family's listener is switched off (<see cref="IPAddress.None"/> is MQTTnet's "no listener").
/// </summary>
public static class BindAddresses
{
    /// <summary>The IPv4 and the IPv6 address to give MQTTnet for one configured address.</summary>
    public static (IPAddress V4, IPAddress V6) Split(IPAddress bind) => bind.AddressFamily switch
    {
        AddressFamily.InterNetwork => (bind, IPAddress.None),
        AddressFamily.InterNetworkV6 => (IPAddress.None, bind),
        _ => throw new ArgumentException($"{bind} is neither an IPv4 nor an IPv6 address", nameof(bind)),
    };
}
