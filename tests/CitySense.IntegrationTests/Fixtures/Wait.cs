using System.Net.Sockets;

namespace CitySense.IntegrationTests.Fixtures;

/// <summary>Waiting on a condition with a deadline, never for a fixed time.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex)
            {
                last = ex;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}." + (last is null ? string.Empty : $" Last error: {last.Message}"));
    }

    public static Task ForPortAsync(int port, TimeSpan timeout, string what) => UntilAsync(async () =>
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        return true;
    }, timeout, what);
}
