using System.Net;
using System.Net.Sockets;

namespace CitySense.IntegrationTests.Fixtures;

/// <summary>
/// Loopback ports for the servers tests start. They come from below Linux's ephemeral range (32768+): a port the OS
/// picked would be free when asked, but a server binds it only later, and meanwhile the OS may hand the same port to an
/// outgoing connection (a silo retrying an absent server does that many times a second), which then fails the bind.
/// Ports are never handed out twice in one run.
/// </summary>
internal static class FreePort
{
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>A port free now, not handed out before in this run, that the OS does not give to outgoing connections.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            lock (HandedOut)
            {
                if (HandedOut.Contains(port))
                {
                    continue;
                }
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
            }
            catch (SocketException)
            {
                // Taken; try another.
                continue;
            }

            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("No free port found between 20000 and 32000.");
    }

    /// <summary>The same as <see cref="Next"/>: for a server a test starts only later (all ports are chosen this way now).</summary>
    public static int NextReservable() => Next();
}
