using System.Net.WebSockets;
using CitySense.Api.Endpoints;
using CitySense.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CitySense.Api.Live;

/// <summary>Live subscriptions for external subscribers: Server-Sent Events and WebSocket (docs/live.md).</summary>
public static class LiveEndpoints
{
    /// <summary>The WebSocket subprotocol the server selects; a browser offers it next to the key protocol.</summary>
    public const string WebSocketProtocol = "citysense.v1";

    public static RouteGroupBuilder MapLiveEndpoints(this RouteGroupBuilder read)
    {
        read.MapGet("/live/sse", Sse)
            .WithName("LiveSse")
            .WithSummary("Live indicators and alarms as Server-Sent Events: a snapshot first, then every update")
            // A typed body, so the document declares the text/event-stream content (an untyped Produces declares none).
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .Produces<ProblemBody>(StatusCodes.Status400BadRequest);
        read.MapGet("/live/ws", WebSocket)
            .WithName("LiveWebSocket")
            .WithSummary("Live indicators and alarms over a WebSocket (same messages and filters as SSE)")
            .Produces(StatusCodes.Status101SwitchingProtocols)
            .Produces<ProblemBody>(StatusCodes.Status400BadRequest);
        return read;
    }

    public static RouteGroupBuilder MapLiveAdminEndpoints(this RouteGroupBuilder operate)
    {
        operate.MapGet("/live/subscribers", (LiveHub hub) => TypedResults.Ok(hub.Subscribers
                .Select(s => new LiveSubscriberReport(s.Id, s.Transport, s.Remote, s.Filter.ToString(), s.Since, s.Buffered, s.Dropped))
                .ToArray()))
            .WithName("GetLiveSubscribers")
            .WithSummary("SSE and WebSocket subscribers connected to this silo, with their buffers and drops");
        return operate;
    }

    private static async Task<Results<EmptyHttpResult, BadRequest<ProblemBody>>> Sse(
        HttpContext context, LiveHub hub, IOptions<LiveOptions> options, IHostApplicationLifetime lifetime,
        string? district, string? community, string? kind, string? indicator, string? severity)
    {
        if (!LiveFilter.TryParse(district, community, kind, indicator, severity, out var filter, out var error))
        {
            return TypedResults.BadRequest(new ProblemBody("invalid-filter", error));
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // Reverse proxies (nginx) would otherwise buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        using var subscriber = hub.Subscribe(filter, "sse", context.Connection.RemoteIpAddress?.ToString());
        try
        {
            await new SseSession(subscriber, options.Value.StatusInterval, response.BodyWriter).RunAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // The subscriber left or the silo is stopping.
        }

        return TypedResults.Empty;
    }

    private static async Task<Results<EmptyHttpResult, BadRequest<ProblemBody>>> WebSocket(
        HttpContext context, LiveHub hub, IOptions<LiveOptions> options, IHostApplicationLifetime lifetime,
        string? district, string? community, string? kind, string? indicator, string? severity)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.BadRequest(new ProblemBody("websocket-required", "Connect with a WebSocket client (GET with Upgrade: websocket)."));
        }

        if (!LiveFilter.TryParse(district, community, kind, indicator, severity, out var filter, out var error))
        {
            return TypedResults.BadRequest(new ProblemBody("invalid-filter", error));
        }

        // Select our protocol when offered (browsers insist on one when they offered any); never echo the key protocol.
        var protocol = context.WebSockets.WebSocketRequestedProtocols.Contains(WebSocketProtocol) ? WebSocketProtocol : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        using var subscriber = hub.Subscribe(filter, "ws", context.Connection.RemoteIpAddress?.ToString());
        var receiving = ReceiveUntilClosedAsync(socket, stop);
        try
        {
            await new WebSocketSession(subscriber, options.Value.StatusInterval, socket).RunAsync(stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The subscriber left or the silo is stopping.
        }

        await stop.CancelAsync();
        await receiving;
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", closing.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                // The peer is gone already.
            }
        }

        return TypedResults.Empty;
    }

    /// <summary>Subscribers send nothing; reading is how a close from their side is noticed.</summary>
    private static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationTokenSource stop)
    {
        var buffer = new byte[1024];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closed or aborted.
        }

        await stop.CancelAsync();
    }
}

/// <summary>One connected live subscriber, as operators see it.</summary>
public sealed record LiveSubscriberReport(long Id, string Transport, string? Remote, string Filter, DateTimeOffset Since, int Buffered, long Dropped);
