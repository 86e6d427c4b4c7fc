using System.Net.WebSockets;
using System.Text;

namespace CitySense.IntegrationTests.Live;

/// <summary>A WebSocket subscriber that reads and records messages until disposed.</summary>
public sealed class WebSocketTestClient : ILiveClient
{
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<LiveMessage> _received = [];
    private Task _reading = Task.CompletedTask;

    private WebSocketTestClient(string name) => Name = name;

    public string Name { get; }

    public string? SubProtocol => _socket.SubProtocol;

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

    /// <param name="keyAsProtocol">Send the key the way a browser must: as a subprotocol next to citysense.v1.</param>
    public static async Task<WebSocketTestClient> ConnectAsync(int port, string query, string? key = null, bool keyAsProtocol = false, string name = "ws")
    {
        var client = new WebSocketTestClient(name);
        if (key is not null && keyAsProtocol)
        {
            client._socket.Options.AddSubProtocol("citysense.v1");
            client._socket.Options.AddSubProtocol("citysense-key." + key);
        }
        else if (key is not null)
        {
            client._socket.Options.SetRequestHeader("X-Api-Key", key);
        }

        await client._socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/api/live/ws{query}"), client._stop.Token);
        client._reading = client.ReadAsync();
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", closing.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The server went first.
        }

        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closed by the test.
        }

        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (_socket.State == WebSocketState.Open)
        {
            var result = await _socket.ReceiveAsync(buffer, _stop.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                var parsed = LiveMessage.Parse(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                message.SetLength(0);
                lock (_received)
                {
                    _received.Add(parsed);
                }
            }
        }
    }
}
