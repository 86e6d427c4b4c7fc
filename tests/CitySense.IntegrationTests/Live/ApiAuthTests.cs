using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using CitySense.Api.Auth;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace CitySense.IntegrationTests.Live;

/// <summary>API keys and scopes on every endpoint group of the real host.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ApiAuthTests
{
    private const string ReadKey = "reader-7f3c9a1e";
    private const string OperateKey = "operator-51b2d4c8";

    public static TheoryData<string, string> Endpoints => new()
    {
        { "/api/city", ApiScopes.Read },
        { "/api/districts/au-d", ApiScopes.Read },
        { "/api/alarms?active=true", ApiScopes.Read },
        { "/api/city/history", ApiScopes.Read },
        { "/api/devices/au-w1/suspects", ApiScopes.Read },
        { "/api/live/sse", ApiScopes.Read },
        { "/api/live/ws", ApiScopes.Read },
        { "/api/rejections", ApiScopes.Operate },
        { "/api/live/subscribers", ApiScopes.Operate },
        { "/api/registry/devices/au-w1", ApiScopes.Operate },
        { "/api/security", ApiScopes.Operate },
        { "/api/cluster", ApiScopes.Operate },
        { "/dashboard", ApiScopes.Operate },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_endpoint_group_answers_401_without_a_valid_key_403_without_its_scope_and_serves_the_right_key(string path, string scope)
    {
        await using var silo = await StartWithKeysAsync();

        var missing = await SendAsync(silo, path, key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.Equal("missing-api-key", missing.Error);
        Assert.Contains($"'{scope}'", missing.Message);

        var wrong = await SendAsync(silo, path, key: "not-a-key");
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid-api-key"), (wrong.Status, wrong.Error));

        var otherScope = await SendAsync(silo, path, scope == ApiScopes.Read ? OperateKey : ReadKey);
        Assert.Equal((HttpStatusCode.Forbidden, "insufficient-scope"), (otherScope.Status, otherScope.Error));
        Assert.Contains($"'{scope}'", otherScope.Message);

        var right = await SendAsync(silo, path, scope == ApiScopes.Read ? ReadKey : OperateKey);
        // The district has no data: 404 means the key was accepted. The WebSocket endpoint refuses a plain GET with 400.
        var accepted = path.EndsWith("/ws", StringComparison.Ordinal) ? HttpStatusCode.BadRequest
            : path.Contains("/districts/", StringComparison.Ordinal) || path.Contains("/registry/", StringComparison.Ordinal) ? HttpStatusCode.NotFound
            : HttpStatusCode.OK;
        Assert.Equal(accepted, right.Status);
    }

    [Fact]
    public async Task With_the_dashboard_off_its_path_is_not_served_and_the_api_still_is()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Keys:0:Key"] = OperateKey,
            ["Api:Keys:0:Scopes:0"] = "operate",
            ["Dashboard:Enabled"] = "false",
        });

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(silo, "/dashboard", OperateKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(silo, "/api/cluster", OperateKey)).Status);
    }

    [Fact]
    public async Task Health_the_screen_and_the_api_description_stay_anonymous()
    {
        await using var silo = await StartWithKeysAsync();
        foreach (var path in new[] { "/health", "/", "/openapi/v1.json", "/reference/" })
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(silo, path, key: null)).Status);
        }
    }

    [Fact]
    public async Task A_browser_websocket_sends_its_key_as_a_subprotocol_and_gets_the_citysense_protocol_back()
    {
        await using var silo = await StartWithKeysAsync();
        await using var client = await WebSocketTestClient.ConnectAsync(silo.HttpPort, "?kind=water", ReadKey, keyAsProtocol: true);
        await Wait.UntilAsync(() => Task.FromResult(client.Received.Count >= 1), TimeSpan.FromSeconds(20), "the snapshot");
        Assert.Equal("snapshot", client.Received[0].Type);
        Assert.Equal("citysense.v1", client.SubProtocol);

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => WebSocketTestClient.ConnectAsync(silo.HttpPort, string.Empty, "not-a-key", keyAsProtocol: true));
        Assert.Contains("401", refused.Message);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("192.0.2.10", false)]
    public async Task Without_configured_keys_only_loopback_clients_are_served(string remote, bool served)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Response.Body = new MemoryStream();
        var handler = new ApiKeyAuthenticationHandler(new StaticOptions(), NullLoggerFactory.Instance, System.Text.Encodings.Web.UrlEncoder.Default, Options.Create(new ApiKeyOptions()));
        await handler.InitializeAsync(new AuthenticationScheme(ApiKeyAuthenticationHandler.SchemeName, null, typeof(ApiKeyAuthenticationHandler)), context);

        var result = await handler.AuthenticateAsync();
        Assert.Equal(served, result.Succeeded);
        if (!served)
        {
            await handler.ChallengeAsync(new AuthenticationProperties());
            Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
            context.Response.Body.Position = 0;
            Assert.Equal("api-keys-not-configured", JsonDocument.Parse(context.Response.Body).RootElement.GetProperty("error").GetString());
        }
        else
        {
            Assert.Equal(ApiScopes.All, result.Principal!.FindAll(ApiScopes.ClaimType).Select(c => c.Value));
        }
    }

    private static Task<CitySenseInstance> StartWithKeysAsync() => CitySenseInstance.StartAsync(new Dictionary<string, string?>
    {
        ["Api:Keys:0:Key"] = ReadKey,
        ["Api:Keys:0:Name"] = "scenario app",
        ["Api:Keys:0:Scopes:0"] = "read",
        ["Api:Keys:1:Key"] = OperateKey,
        ["Api:Keys:1:Scopes"] = "operate",
    });

    private static async Task<(HttpStatusCode Status, string? Error, string? Message)> SendAsync(CitySenseInstance silo, string path, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        using var response = await silo.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
        {
            return (response.StatusCode, null, null);
        }

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body.GetProperty("error").GetString(), body.GetProperty("message").GetString());
    }

    private sealed class StaticOptions : IOptionsMonitor<AuthenticationSchemeOptions>
    {
        public AuthenticationSchemeOptions CurrentValue { get; } = new();

        public AuthenticationSchemeOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<AuthenticationSchemeOptions, string?> listener) => null;
    }
}
