using System.Globalization;
using System.Net;

namespace CitySense.IntegrationTests.Edge;

/// <summary>
/// The TCP sockets listening on a port, read from the kernel (/proc/net/tcp and tcp6, what `ss -ltn` shows): the
/// truth about where a process listens, whatever its configuration says.
/// </summary>
internal static class ListeningSockets
{
    private const string Listen = "0A";

    public static IReadOnlyList<IPAddress> On(int port) =>
        [.. Read("/proc/net/tcp", port, v6: false), .. Read("/proc/net/tcp6", port, v6: true)];

    private static IEnumerable<IPAddress> Read(string table, int port, bool v6)
    {
        if (!File.Exists(table))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(table).Skip(1))
        {
            // "  0: 0100007F:1F90 00000000:0000 0A ...": local address:port in hex, then remote, then state.
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var local = fields[1].Split(':');
            if (fields[3] != Listen || int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) != port)
            {
                continue;
            }

            yield return Address(local[0], v6);
        }
    }

    /// <summary>The kernel prints each 32-bit word of the address in host (little-endian) order.</summary>
    private static IPAddress Address(string hex, bool v6)
    {
        var bytes = new byte[v6 ? 16 : 4];
        for (var word = 0; word < bytes.Length / 4; word++)
        {
            for (var b = 0; b < 4; b++)
            {
                bytes[word * 4 + b] = byte.Parse(hex.AsSpan(word * 8 + (3 - b) * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        return new IPAddress(bytes);
    }
}
