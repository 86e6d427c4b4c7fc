using System.Net;
using System.Text;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Security;

/// <summary>HTTP rate limiting per client, the CORS policy and the request size limit, on the real host.</summary>
[Collection(EndToEnd.EndToEndCollection.Name)]
public sealed class ApiProtectionTests
{
    [Fact]
    public async Task A_client_over_its_rate_gets_429_while_health_stays_reachable()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Api:RequestsPerSecond"] = "0.5",
            ["Api:RequestBurst"] = "3",
        });

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            codes.Add((await silo.Http.GetAsync("/api/city")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], codes);
        var refused = await silo.Http.GetAsync("/api/city");
        Assert.Contains("rate-limited", await refused.Content.ReadAsStringAsync());
        Assert.True(refused.Headers.RetryAfter is not null);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/health")).StatusCode);
        }
    }

    [Fact]
    public async Task Only_configured_origins_may_call_from_another_site_and_large_bodies_are_refused()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Api:CorsOrigins:0"] = "https://brain.example",
            ["Api:MaxRequestBodyBytes"] = "1024",
        });

        Assert.Equal("https://brain.example", await PreflightAsync(silo, "https://brain.example"));
        Assert.Null(await PreflightAsync(silo, "https://elsewhere.example"));

        var large = new StringContent("{\"district\":\"d\",\"community\":\"c\",\"kind\":\"water\",\"tags\":{\"x\":\"" + new string('a', 4096) + "\"}}", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await silo.Http.PutAsync("/api/registry/devices/big-1", large)).StatusCode);
    }

    private static async Task<string?> PreflightAsync(CitySenseInstance silo, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/city");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "X-Api-Key");
        var response = await silo.Http.SendAsync(request);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
    }
}
