using System.Text.Json;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Api;

/// <summary>
/// The OpenAPI document a client generator reads (GET /openapi/v1.json, issue 17): every /api operation declares what
/// it answers with, the live SSE stream as text/event-stream, and no internal route (the Orleans dashboard) is listed.
/// </summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task Every_api_operation_declares_its_responses_and_no_internal_route_is_listed()
    {
        // The dashboard on, so that its routes exist and must be kept out of the document.
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?> { ["Dashboard:Enabled"] = "true" });
        using var document = JsonDocument.Parse(await silo.Http.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        var listed = paths.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/api/city", listed);
        Assert.DoesNotContain(listed, p => p.StartsWith("/dashboard", StringComparison.Ordinal));
        Assert.All(listed, p => Assert.True(p.StartsWith("/api/", StringComparison.Ordinal) || p == "/health", $"{p} is not an API route"));

        var sse = paths.GetProperty("/api/live/sse").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.True(sse.TryGetProperty("content", out var content) && content.TryGetProperty("text/event-stream", out _),
            "the SSE stream's 200 declares text/event-stream content");

        var undeclared = new List<string>();
        foreach (var path in paths.EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var responses = operation.Value.GetProperty("responses").EnumerateObject().ToArray();
                // Every success that has a body declares its content (a WebSocket upgrade has none to declare).
                var success = responses.Where(r => r.Name.StartsWith('2')).ToArray();
                if (success.Length == 0 && !responses.Any(r => r.Name == "101"))
                {
                    undeclared.Add($"{operation.Name.ToUpperInvariant()} {path.Name}: no success response");
                }

                undeclared.AddRange(success
                    .Where(r => r.Name != "204" && !r.Value.TryGetProperty("content", out _))
                    .Select(r => $"{operation.Name.ToUpperInvariant()} {path.Name}: {r.Name} without content"));
            }
        }

        Assert.Empty(undeclared);
    }
}
