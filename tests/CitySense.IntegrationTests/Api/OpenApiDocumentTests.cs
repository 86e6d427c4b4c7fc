using System.Text.Json;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Api;

/// <summary>
/// The OpenAPI document a client generator reads (GET /openapi/v1.json, issue 17): every /api operation declares what
/// it answers with, the live SSE stream as text/event-stream, and no internal route (the Orleans dashboard) is listed.
/// The NGSI-LD operations (/ngsi-ld/v1, issue 20) too, in both media types they negotiate and with the NGSI-LD problem body.
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
        Assert.All(listed, p => Assert.True(IsApi(p) || p == "/health", $"{p} is not an API route"));

        var sse = paths.GetProperty("/api/live/sse").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.True(sse.TryGetProperty("content", out var content) && content.TryGetProperty("text/event-stream", out _),
            "the SSE stream's 200 declares text/event-stream content");

        var undeclared = new List<string>();
        foreach (var path in paths.EnumerateObject().Where(p => IsApi(p.Name)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var responses = operation.Value.GetProperty("responses").EnumerateObject().ToArray();
                // Every success that has a body declares its content (a WebSocket upgrade has none to declare; NGSI-LD's
                // 201 Created answers with Location and no body).
                var success = responses.Where(r => r.Name.StartsWith('2')).ToArray();
                if (success.Length == 0 && !responses.Any(r => r.Name == "101"))
                {
                    undeclared.Add($"{operation.Name.ToUpperInvariant()} {path.Name}: no success response");
                }

                undeclared.AddRange(success
                    .Where(r => r.Name != "204" && !(r.Name == "201" && path.Name.StartsWith("/ngsi-ld/", StringComparison.Ordinal)) && !r.Value.TryGetProperty("content", out _))
                    .Select(r => $"{operation.Name.ToUpperInvariant()} {path.Name}: {r.Name} without content"));
            }
        }

        Assert.Empty(undeclared);

        foreach (var path in new[] { "/ngsi-ld/v1/entities", "/ngsi-ld/v1/entities/{id}", "/ngsi-ld/v1/types", "/ngsi-ld/v1/temporal/entities", "/ngsi-ld/v1/temporal/entities/{id}" })
        {
            var responses = paths.GetProperty(path).GetProperty("get").GetProperty("responses");
            var ok = responses.GetProperty("200").GetProperty("content");
            Assert.True(ok.TryGetProperty("application/ld+json", out _) && ok.TryGetProperty("application/json", out _), $"{path}: 200 in both NGSI-LD media types");
            var problems = responses.EnumerateObject().Where(r => r.Name[0] is '4' or '5').ToArray();
            Assert.Contains(problems, r => r.Name == "406");
            Assert.All(problems, r => Assert.Equal("#/components/schemas/NgsiProblemBody",
                r.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString()));
        }

        var entity = paths.GetProperty("/ngsi-ld/v1/entities/{id}").GetProperty("get").GetProperty("responses").EnumerateObject().Select(r => r.Name).ToArray();
        Assert.Contains("404", entity);
        var query = paths.GetProperty("/ngsi-ld/v1/entities").GetProperty("get").GetProperty("responses").EnumerateObject().Select(r => r.Name).ToArray();
        Assert.Contains("403", query);
        Assert.Contains("501", query);
    }

    private static bool IsApi(string path) => path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/ngsi-ld/v1/", StringComparison.Ordinal);
}
