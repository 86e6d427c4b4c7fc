using System.Text;

namespace CitySense.IntegrationTests.Live;

/// <summary>An SSE subscriber over HttpClient that reads and records events until disposed.</summary>
public sealed class SseTestClient : ILiveClient
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<LiveMessage> _received = [];
    private Task _reading = Task.CompletedTask;

    private SseTestClient(string name, HttpClient http)
    {
        Name = name;
        _http = http;
    }

    public string Name { get; }

    public IReadOnlyList<LiveMessage> Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToArray();
            }
        }
    }

    public static async Task<SseTestClient> ConnectAsync(int port, string query, string? key = null, string name = "sse")
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout.InfiniteTimeSpan };
        var client = new SseTestClient(name, http);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/live/sse" + query);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, client._stop.Token);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync(client._stop.Token);
        client._reading = client.ReadAsync(stream);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // Closed by the test.
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line.AsSpan(6));
            }
            else if (line.Length == 0 && data.Length > 0)
            {
                var message = LiveMessage.Parse(data.ToString());
                data.Clear();
                lock (_received)
                {
                    _received.Add(message);
                }
            }
        }
    }
}
