using System.Net.Sockets;

namespace CitySense.Testing;

/// <summary>The integration tests' own wait, added to the shared <see cref="Wait"/> (tests/Shared/Wait.cs).</summary>
internal static partial class Wait
{
    /// <summary>Waits until something accepts TCP connections on the loopback <paramref name="port"/>.</summary>
    public static Task ForPortAsync(int port, TimeSpan timeout, string what) => UntilAsync(async () =>
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        return true;
    }, timeout, what);
}
