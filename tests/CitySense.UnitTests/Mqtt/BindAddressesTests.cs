using System.Net;
using CitySense.Ingest.Mqtt;

namespace CitySense.UnitTests.Mqtt;

public sealed class BindAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.20")]
    public void An_IPv4_address_switches_the_IPv6_listener_off(string address)
    {
        var (v4, v6) = BindAddresses.Split(IPAddress.Parse(address));

        Assert.Equal(IPAddress.Parse(address), v4);
        Assert.Equal(IPAddress.None, v6);
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("::")]
    public void An_IPv6_address_switches_the_IPv4_listener_off(string address)
    {
        var (v4, v6) = BindAddresses.Split(IPAddress.Parse(address));

        Assert.Equal(IPAddress.None, v4);
        Assert.Equal(IPAddress.Parse(address), v6);
    }
}
