using System.Net;
using System.Net.Sockets;

namespace CitySense.IntegrationTests.Fixtures;

internal static class FreePort
{
    /// <summary>A loopback port free right now (the OS picks it), so parallel runs never collide on fixed ports.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
