using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace CitySense.Grains.Subscriptions;

/// <summary>
/// Posts notifications (one pooled HTTP client for the silo). A result, never an exception: the subscription counts a
/// failure and retries.
/// </summary>
public sealed class NotificationSender : IDisposable
{
    private readonly HttpClient _http;

    public NotificationSender(IOptions<SubscriptionOptions> options)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            // Receivers move (DNS, load balancers): connections are renewed now and then.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.Value.RequestTimeout,
        })
        {
            Timeout = options.Value.RequestTimeout,
        };
    }

    /// <returns>Null on success (2xx), otherwise what went wrong.</returns>
    public async Task<string?> SendAsync(string uri, string accept, string? contextLink, byte[] body)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri);
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(accept);
            if (contextLink is not null)
            {
                // application/json carries its context as a Link header (NGSI-LD 6.3.5).
                request.Headers.TryAddWithoutValidation("Link", $"<{contextLink}>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"");
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
        catch (TaskCanceledException)
        {
            return "timed out";
        }
    }

    public void Dispose() => _http.Dispose();
}
