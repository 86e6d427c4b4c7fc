using System.Diagnostics;
using System.Globalization;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using MQTTnet;
using Xunit;

namespace CitySense.IntegrationTests.Security;

/// <summary>
/// A real mosquitto with the documented access setup (docs/security.md): password_file made with mosquitto_passwd,
/// the acl_file of docs/mosquitto/citysense.acl, the user name as client id. The silo connects with its own credentials.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ExternalBrokerSecurityTests
{
    private const string SiloUser = "citysense-ingest";

    [Fact]
    public async Task Through_mosquitto_an_authorised_devices_readings_arrive_and_an_unauthorised_publish_does_not()
    {
        await using var mosquitto = new MosquittoServer();
        await SecureAsync(mosquitto, gatewayBlock: """
            user ext-gw1
            topic write city/ext/c1/gateway/ext-gw1
            """);
        await mosquitto.StartAsync();
        await using var silo = await CitySenseInstance.StartAsync(Settings(mosquitto, "silo-secret"));
        await Wait.UntilAsync(async () => (await silo.GetJsonAsync("/health"))?.GetProperty("mqtt").GetProperty("connected").GetBoolean() == true,
            TimeSpan.FromSeconds(30), "the silo to connect to mosquitto with its credentials");
        var ts = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await MqttConnect.TryAsync(mosquitto.Port, "anonymous", user: null, password: null));
        // mosquitto answers a wrong password with Not authorized (0x87), as it does a missing one.
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await MqttConnect.TryAsync(mosquitto.Port, "ext-w1", "ext-w1", "not-its-secret"));

        await using (var w1 = await Publisher.ConnectAsync(mosquitto.Port, "ext-w1", b => b.WithCredentials("ext-w1", "w1-secret")))
        {
            // Denied first, allowed after: once the allowed ones are applied, the denied ones would have been too.
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await w1.PublishAsync("city/ext/c1/water/ext-w2", Reading(ts, 50)));
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await w1.PublishAsync("city/ext/c1/gateway/ext-w1", $"[{Element("ext-w2", ts, 50)}]"));
            Assert.Equal(MqttClientPublishReasonCode.Success, await w1.PublishAsync("city/ext/c1/water/ext-w1", Reading(ts, 10)));
        }

        await using (var gateway = await Publisher.ConnectAsync(mosquitto.Port, "ext-gw1", b => b.WithCredentials("ext-gw1", "gw-secret")))
        {
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await gateway.PublishAsync("city/ext/c2/gateway/ext-gw1", $"[{Element("ext-w4", ts, 5)}]"));
            Assert.Equal(MqttClientPublishReasonCode.Success, await gateway.PublishAsync("city/ext/c1/gateway/ext-gw1", $"[{Element("ext-w3", ts, 5)}]"));
        }

        await Wait.UntilAsync(async () => (await silo.GetJsonAsync("/health"))!.Value.GetProperty("ingest").GetProperty("messagesApplied").GetInt64() >= 2,
            TimeSpan.FromSeconds(30), "the two authorised messages to be applied");

        Assert.Equal(2, (await silo.GetJsonAsync("/health"))!.Value.GetProperty("ingest").GetProperty("messagesApplied").GetInt64());
        Assert.Equal(1, (await silo.GetJsonAsync("/api/devices/ext-w1"))!.Value.GetProperty("accepted").GetInt64());
        Assert.Equal(1, (await silo.GetJsonAsync("/api/devices/ext-w3"))!.Value.GetProperty("accepted").GetInt64());
        Assert.Null(await silo.GetJsonAsync("/api/devices/ext-w2"));
        Assert.Null(await silo.GetJsonAsync("/api/devices/ext-w4"));
        Assert.Equal("external-broker", (await silo.GetJsonAsync("/api/security"))!.Value.GetProperty("authentication").GetString());
    }

    [Fact]
    public async Task A_silo_with_a_wrong_password_is_kept_out_and_reports_it_on_health()
    {
        await using var mosquitto = new MosquittoServer();
        await SecureAsync(mosquitto, gatewayBlock: string.Empty);
        await mosquitto.StartAsync();

        await using var silo = await CitySenseInstance.StartAsync(Settings(mosquitto, "a-wrong-password"));

        await Wait.UntilAsync(async () => !string.IsNullOrEmpty((await ReadHealthAsync(silo)).GetProperty("mqtt").GetProperty("lastError").GetString()),
            TimeSpan.FromSeconds(30), "health to report the refused connection");
        var response = await silo.Http.GetAsync("/health");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var mqtt = (await ReadHealthAsync(silo)).GetProperty("mqtt");
        Assert.False(mqtt.GetProperty("connected").GetBoolean());
        Assert.DoesNotContain("a-wrong-password", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Password file by mosquitto_passwd (as an operator makes it), the documented ACL plus the gateway's block.</summary>
    private static async Task SecureAsync(MosquittoServer mosquitto, string gatewayBlock)
    {
        var passwords = Path.Combine(mosquitto.Folder, "citysense.passwd");
        await PasswdAsync($"-b -c {passwords} {SiloUser} silo-secret");
        await PasswdAsync($"-b {passwords} citysense-live live-secret");
        await PasswdAsync($"-b {passwords} ext-w1 w1-secret");
        await PasswdAsync($"-b {passwords} ext-w2 w2-secret");
        await PasswdAsync($"-b {passwords} ext-gw1 gw-secret");
        var acl = Path.Combine(mosquitto.Folder, "citysense.acl");
        var documented = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "mosquitto", "citysense.acl"));
        await File.WriteAllTextAsync(acl, documented + Environment.NewLine + gatewayBlock + Environment.NewLine);
        // Started as root, mosquitto reads these files after dropping to its own user: let it in (test files only).
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            File.SetUnixFileMode(mosquitto.Folder, readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(passwords, readable);
            File.SetUnixFileMode(acl, readable);
        }
        mosquitto.AccessConfig = $"""
            allow_anonymous false
            password_file {passwords}
            acl_file {acl}
            use_username_as_clientid true
            max_packet_size 270000
            """;
    }

    private static async Task PasswdAsync(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/mosquitto_passwd", arguments) { UseShellExecute = false, RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"mosquitto_passwd {arguments}: {error}");
    }

    private static Dictionary<string, string?> Settings(MosquittoServer mosquitto, string password) => new()
    {
        ["Mqtt:Mode"] = "External",
        ["Mqtt:Host"] = "127.0.0.1",
        ["Mqtt:Port"] = mosquitto.Port.ToString(CultureInfo.InvariantCulture),
        ["Mqtt:ClientId"] = SiloUser,
        ["Mqtt:Username"] = SiloUser,
        ["Mqtt:Password"] = password,
        ["Live:MqttUsername"] = "citysense-live",
        ["Live:MqttPassword"] = "live-secret",
    };

    /// <summary>/health answers 503 while the MQTT edge is down; its body is what the test reads.</summary>
    private static async Task<System.Text.Json.JsonElement> ReadHealthAsync(CitySenseInstance silo) =>
        System.Text.Json.JsonDocument.Parse(await (await silo.Http.GetAsync("/health")).Content.ReadAsStringAsync()).RootElement;

    private static string Reading(long ts, double total) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"ts":{{ts}},"total":{{total}}}""");

    private static string Element(string device, long ts, double total) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"device":"{{device}}","kind":"water","ts":{{ts}},"total":{{total}}}""");
}
