using System.Collections.Concurrent;
using System.Text.Json;
using CitySense.IntegrationTests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CitySense.IntegrationTests.Ngsi;

/// <summary>
/// An NGSI-LD notification endpoint on a free loopback port (Kestrel): keeps every notification it accepted, in
/// arrival order. <see cref="StopAsync"/> closes the port (connections are refused) until <see cref="StartAsync"/>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<Received> _received = new();
    private WebApplication? _app;

    private WebhookReceiver(int port) => Port = port;

    public int Port { get; }

    public string Uri => $"http://127.0.0.1:{Port}/notify";

    public IReadOnlyList<Received> Notifications => [.. _received];

    public static async Task<WebhookReceiver> StartNewAsync()
    {
        var receiver = new WebhookReceiver(FreePort.Next());
        await receiver.StartAsync();
        return receiver;
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/notify", async (HttpContext http) =>
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body);
            _received.Enqueue(new Received(document.RootElement.Clone(), http.Request.ContentType ?? string.Empty, http.Request.Headers["Link"].ToString()));
            return Results.NoContent();
        });
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    public sealed record Received(JsonElement Body, string ContentType, string Link)
    {
        public IEnumerable<JsonElement> Data => Body.GetProperty("data").EnumerateArray();
    }
}
