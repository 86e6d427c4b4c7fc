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

    /// <summary>
    /// A free port below Linux's ephemeral range (32768+), for a server a test starts only later: ports the OS hands
    /// out meanwhile (other fixtures, outgoing connections to the absent server itself) never come from this range.
    /// </summary>
    public static int NextReservable()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken; try another.
            }
        }

        throw new InvalidOperationException("No free port found between 20000 and 32000.");
    }
}
