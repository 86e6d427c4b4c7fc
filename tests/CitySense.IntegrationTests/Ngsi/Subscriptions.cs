using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CitySense.IntegrationTests.Fixtures;

namespace CitySense.IntegrationTests.Ngsi;

/// <summary>What the subscription tests share: creating one, reading its status, publishing water readings.</summary>
internal static class Subscriptions
{
    public const string Path = "/ngsi-ld/v1/subscriptions";

    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string json) =>
        await http.PostAsync(Path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Creates one; returns its Location.</summary>
    public static async Task<string> CreateAsync(HttpClient http, string json)
    {
        var response = await PostAsync(http, json);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST subscription: {(int)response.StatusCode} {body}");
        }

        return response.Headers.Location!.OriginalString;
    }

    public static async Task<JsonElement> GetAsync(HttpClient http, string location) => await http.GetFromJsonAsync<JsonElement>(location);

    public static async Task<JsonElement> NotificationStatusAsync(HttpClient http, string location) => (await GetAsync(http, location)).GetProperty("notification");

    public static string WaterMeterId(string device) => $"urn:ngsi-ld:WaterConsumptionObserved:{device}";

    public static Task PublishWaterAsync(Publisher publisher, string district, string community, string device, long ts, decimal total) =>
        publisher.PublishAsync($"city/{district}/{community}/water/{device}",
            $$"""{"ts":{{ts.ToString(CultureInfo.InvariantCulture)}},"total":{{total.ToString(CultureInfo.InvariantCulture)}}}""");

    /// <summary>Every (entity id, register value) the receiver got, in arrival order.</summary>
    public static List<(string Id, decimal Register, string NotificationId)> Registers(WebhookReceiver receiver) =>
        receiver.Notifications
            .SelectMany(n => n.Data.Select(e => (e.GetProperty("id").GetString()!, e.GetProperty("registerValue").GetProperty("value").GetDecimal(), n.Body.GetProperty("id").GetString()!)))
            .ToList();
}
