using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitySense.IntegrationTests.Edge;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using CitySense.IntegrationTests.Live;
using Xunit;

namespace CitySense.IntegrationTests.Alarms;

/// <summary>
/// The operators' alarm workflow through a running silo: alarms raised by real MQTT readings, acted on over HTTP with a
/// named operator key, every change seen on SSE and on the MQTT republish, the audit trail and history kept across a restart.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AlarmWorkflowApiTests
{
    private const string Key = "alarm-operator-key-0123456789";
    private const string Community = "/api/districts/aw-d/communities/aw-c/alarms";

    [Fact]
    public async Task Alarms_raised_by_readings_are_acknowledged_assigned_commented_and_cleared_by_operators_seen_live_and_kept_across_a_restart()
    {
        // The state folder (registry, alarms) outlives the first instance, whose data folder goes with it.
        var state = Directory.CreateTempSubdirectory("citysense-alarms-");
        var settings = new Dictionary<string, string?>
        {
            ["Registry:DataPath"] = state.FullName,
            ["Api:Keys:0:Key"] = Key,
            ["Api:Keys:0:Name"] = "ops-anna",
            ["Api:Keys:0:Scopes:0"] = "read",
            ["Api:Keys:0:Scopes:1"] = "operate",
            ["Alarms:EscalateAfter"] = "00:00:02",
        };
        var silo = await CitySenseInstance.StartAsync(settings);
        string pressureAlarm, manholeAlarm;
        try
        {
            silo.Http.DefaultRequestHeaders.Add("X-Api-Key", Key);
            await using var sse = await SseTestClient.ConnectAsync(silo.HttpPort, "?district=aw-d", Key);
            await using var mqtt = await AlarmSubscriber.ConnectAsync(silo.MqttPort);
            var ts = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
            await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "aw-publisher"))
            {
                // Pressure below Alarms:WaterPressureMin (0.15 bar), a gas leak at 30 % LEL (critical), an open manhole.
                await publisher.PublishAsync("city/aw-d/aw-c/water/aw-w1", $$"""{"ts":{{ts}},"total":10.5,"flow":0.5,"pressure":0.05}""");
                await publisher.PublishAsync("city/aw-d/aw-c/gasleak/aw-g1", $$"""{"ts":{{ts}},"lel":30}""");
                await publisher.PublishAsync("city/aw-d/aw-c/manhole/aw-m1", $$"""{"ts":{{ts}},"open":1}""");
            }

            var open = await Wait.UntilAsync(() => OpenAsync(silo.Http), o => o.Length == 3, TimeSpan.FromSeconds(30), "three open alarms");
            pressureAlarm = Id(open, "pressure-low");
            manholeAlarm = Id(open, "manhole-open");
            var gasAlarm = Id(open, "gas-leak");
            Assert.All(open, a => Assert.Equal("ActiveUnacknowledged", a.GetProperty("status").GetProperty("condition").GetString()));

            // The critical gas leak stays unacknowledged past Alarms:EscalateAfter: it escalates, once, and it is counted.
            await Wait.UntilAsync(() => Task.FromResult(Changes(sse, gasAlarm).Contains("Escalated")), TimeSpan.FromSeconds(30), "the gas leak to escalate");
            var community = await silo.Http.GetFromJsonAsync<JsonElement>(Community);
            Assert.Equal(1, community.GetProperty("escalations").GetInt64());

            // The pressure alarm: acknowledged (twice is refused), assigned, commented; then its rule clears it.
            var acknowledged = await PostAsync(silo.Http, pressureAlarm, "acknowledge", new { comment = "seen" });
            Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
            var record = await acknowledged.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("ActiveAcknowledged", "ops-anna"), (Status(record, "condition"), Status(record, "acknowledgedBy")));
            var twice = await PostAsync(silo.Http, pressureAlarm, "acknowledge", new { });
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
            Assert.Equal("not-allowed", (await twice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(silo.Http, pressureAlarm, "assign", new { team = "water-north" })).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(silo.Http, pressureAlarm, "assign", new { })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(silo.Http, pressureAlarm, "comment", new { comment = "crew on site" })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(silo.Http, "aw-w1/pressure-low/1", "acknowledge", new { })).StatusCode);

            // The gas leak clears unacknowledged: it stays on the list until acknowledged.
            await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "aw-publisher-2"))
            {
                await publisher.PublishAsync("city/aw-d/aw-c/water/aw-w1", $$"""{"ts":{{ts + 60_000}},"total":10.6,"flow":0.5,"pressure":0.3}""");
                await publisher.PublishAsync("city/aw-d/aw-c/gasleak/aw-g1", $$"""{"ts":{{ts + 60_000}},"lel":2}""");
            }

            open = await Wait.UntilAsync(() => OpenAsync(silo.Http), o => o.Length == 2 && o.Any(a => Status(a, "condition") == "ClearedUnacknowledged"),
                TimeSpan.FromSeconds(30), "the pressure alarm closed and the gas leak cleared but still listed");
            Assert.Equal([gasAlarm, manholeAlarm], open.Select(a => a.GetProperty("alarm").GetProperty("alarmId").GetString()).Order());
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(silo.Http, gasAlarm, "acknowledge", new { })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(silo.Http, manholeAlarm, "assign", new { team = "streets" })).StatusCode);

            // Every change reached the SSE subscriber and the MQTT republish, in order, each version once.
            string[] pressureChanges = ["Raised", "Acknowledged", "Assigned", "Commented", "Cleared"];
            await Wait.UntilAsync(() => Task.FromResult(Changes(sse, pressureAlarm).SequenceEqual(pressureChanges) && Changes(mqtt, gasAlarm).Length == 4),
                TimeSpan.FromSeconds(30), "every change on SSE and MQTT");
            Assert.Equal(pressureChanges, Changes(mqtt, pressureAlarm));
            Assert.Equal(["Raised", "Escalated", "Cleared", "Acknowledged"], Changes(sse, gasAlarm));
            Assert.Equal(["Raised", "Escalated", "Cleared", "Acknowledged"], Changes(mqtt, gasAlarm));
            var last = sse.Received.Last(m => m.Type == "alarm" && AlarmId(m.Body) == pressureAlarm).Body;
            Assert.Equal(("ClearedAcknowledged", 5), (last.GetProperty("workflow").GetProperty("condition").GetString(), last.GetProperty("workflow").GetProperty("version").GetInt32()));

            // The audit trail: who and when, for every change.
            var trail = (await silo.Http.GetFromJsonAsync<JsonElement>($"{Community}/{pressureAlarm}")).GetProperty("audit").EnumerateArray().ToArray();
            Assert.Equal(["rule", "ops-anna", "ops-anna", "ops-anna", "rule"], trail.Select(e => e.GetProperty("by").GetString()));
            Assert.Equal("water-north", trail[2].GetProperty("team").GetString());
            Assert.Equal("crew on site", trail[3].GetProperty("comment").GetString());
            Assert.True(trail.Zip(trail.Skip(1)).All(p => p.First.GetProperty("atMs").GetInt64() <= p.Second.GetProperty("atMs").GetInt64()), "audit entries in time order");
        }
        finally
        {
            await silo.DisposeAsync();
        }

        // A restart (files on a single node): the open alarm with its assignment, the closed ones and their trails are kept.
        await using var restarted = await CitySenseInstance.StartAsync(settings);
        restarted.Http.DefaultRequestHeaders.Add("X-Api-Key", Key);
        var kept = await OpenAsync(restarted.Http);
        Assert.Equal(("streets", manholeAlarm), (Status(Assert.Single(kept), "assignedTo"), kept[0].GetProperty("alarm").GetProperty("alarmId").GetString()));
        Assert.Equal(5, (await restarted.Http.GetFromJsonAsync<JsonElement>($"{Community}/{pressureAlarm}")).GetProperty("audit").GetArrayLength());
        var cleared = await PostAsync(restarted.Http, manholeAlarm, "clear", new { comment = "lid replaced" });
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal("ClearedAcknowledged", Status(await cleared.Content.ReadFromJsonAsync<JsonElement>(), "condition"));
        Assert.Empty(await OpenAsync(restarted.Http));

        // The history by time: the district's and the city's alarms of the last hour; none in an earlier hour.
        var now = DateTimeOffset.UtcNow;
        var from = Uri.EscapeDataString(now.AddHours(-1).ToString("O"));
        var to = Uri.EscapeDataString(now.AddMinutes(1).ToString("O"));
        var history = await restarted.Http.GetFromJsonAsync<JsonElement>($"/api/alarms/history?district=aw-d&from={from}&to={to}");
        Assert.Equal(3, history.GetProperty("alarms").GetArrayLength());
        Assert.All(history.GetProperty("alarms").EnumerateArray(), a => Assert.Equal("ClearedAcknowledged", Status(a, "condition")));
        var community2 = await restarted.Http.GetFromJsonAsync<JsonElement>($"/api/alarms/history?district=aw-d&community=aw-c&from={from}&to={to}&limit=1");
        Assert.Equal(1, community2.GetProperty("alarms").GetArrayLength());
        var earlier = Uri.EscapeDataString(now.AddHours(-3).ToString("O"));
        var before = await restarted.Http.GetFromJsonAsync<JsonElement>($"/api/alarms/history?district=aw-d&from={earlier}&to={Uri.EscapeDataString(now.AddHours(-2).ToString("O"))}");
        Assert.Equal(0, before.GetProperty("alarms").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await restarted.Http.GetAsync("/api/alarms/history?limit=0")).StatusCode);
        await restarted.DisposeAsync();
        state.Delete(recursive: true);
    }

    [Fact]
    public async Task A_chattering_sensor_keeps_one_alarm_and_its_community_stores_the_workflow_at_most_once_per_store_interval()
    {
        var state = Directory.CreateTempSubdirectory("citysense-chatter-");
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Registry:DataPath"] = state.FullName,
            ["Alarms:StoreInterval"] = "00:00:02",
        });
        await using var sse = await SseTestClient.ConnectAsync(silo.HttpPort, "?district=ch-d");
        var ts = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        var started = DateTimeOffset.UtcNow;
        // 40 readings flapping across Alarms:WaterPressureMin, 20 raises and 20 clears (the last one a clear), each sent by
        // Debian's mosquitto_pub at QoS 1: a client CitySense did not write.
        for (var i = 0; i < 40; i++)
        {
            var pressure = i % 2 == 0 ? "0.05" : "0.3";
            var total = (10 + (i * 0.001m)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await OutsideClients.MosquittoPubAsync(silo.MqttPort, "city/ch-d/ch-c/water/ch-w1", $$"""{"ts":{{ts + (i * 1000)}},"total":{{total}},"flow":0.5,"pressure":{{pressure}}}""");
        }

        var open = await Wait.UntilAsync(() => silo.Http.GetFromJsonAsync<JsonElement>("/api/districts/ch-d/communities/ch-c/alarms"),
            c => c.GetProperty("open").GetArrayLength() == 1 && Status(c.GetProperty("open")[0], "condition") == "ClearedUnacknowledged"
                && c.GetProperty("open")[0].GetProperty("status").GetProperty("raisedAgain").GetInt32() == 19,
            TimeSpan.FromSeconds(30), "one alarm, raised again 19 times, cleared");
        var alarm = open.GetProperty("open")[0];
        Assert.True(alarm.GetProperty("audit").GetArrayLength() <= 4, alarm.GetProperty("audit").ToString());

        // Announced only once stored: the stored version reaches the alarm's (in the journal of changes, or in the full copy
        // once the journal folded), and the files were written a few times, not once per batch (each of the 40 readings
        // came in a batch of its own at this pace).
        var full = Path.Combine(state.FullName, "alarms", "alarms", Uri.EscapeDataString("community/ch-d/ch-c") + ".json");
        var journal = Path.Combine(state.FullName, "alarms", "alarmjournal", Uri.EscapeDataString("community/ch-d/ch-c") + ".json");
        var version = alarm.GetProperty("status").GetProperty("version").GetInt64();
        var stored = await Wait.UntilAsync(async () => new[] { await ReadStoredAsync(full), await ReadStoredAsync(journal) },
            files => StoredVersion(files[0], "Open") == version || StoredVersion(files[1], "Changes") == version,
            TimeSpan.FromSeconds(10), "the last version stored");
        var elapsed = DateTimeOffset.UtcNow - started;
        var writes = stored.Sum(f => f?.GetProperty("Version").GetInt64() ?? 0);
        Assert.InRange(writes, 1, 2 + (long)(elapsed.TotalSeconds / 2));
        Assert.True(writes < 20, $"{writes} writes for 40 changes");
        // And announced: the last version reaches a live subscriber (after the store, so it may come a moment later).
        var alarmId = alarm.GetProperty("alarm").GetProperty("alarmId").GetString()!;
        await Wait.UntilAsync(() => Task.FromResult(sse.Received.Any(m => m.Type == "alarm" && AlarmId(m.Body) == alarmId
                && m.Body.GetProperty("workflow").GetProperty("version").GetInt64() == version
                && m.Body.GetProperty("change").GetProperty("action").GetString() == "Cleared")),
            TimeSpan.FromSeconds(10), "the last version on SSE");
        state.Delete(recursive: true);
    }

    [Fact]
    public async Task Past_the_lists_budget_the_system_closes_the_alarm_cleared_longest_ago_announces_it_and_counts_it()
    {
        const string community = "/api/districts/lb-d/communities/lb-c/alarms";
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Alarms:ListKept"] = "2",
            ["Alarms:StoreInterval"] = "00:00:00",
        });
        await using var sse = await SseTestClient.ConnectAsync(silo.HttpPort, "?district=lb-d");
        var ts = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        // Two meters fall below Alarms:WaterPressureMin and recover, unacknowledged: the list holds its budget of two. Sent
        // by Debian's mosquitto_pub at QoS 1, one reading at a time, so each clear is stored before the next raise.
        foreach (var meter in new[] { "lb-w1", "lb-w2" })
        {
            await OutsideClients.MosquittoPubAsync(silo.MqttPort, $"city/lb-d/lb-c/water/{meter}", $$"""{"ts":{{ts}},"total":10,"flow":0.5,"pressure":0.05}""");
            await OutsideClients.MosquittoPubAsync(silo.MqttPort, $"city/lb-d/lb-c/water/{meter}", $$"""{"ts":{{ts + 60_000}},"total":10.1,"flow":0.5,"pressure":0.3}""");
            await Wait.UntilAsync(() => silo.Http.GetFromJsonAsync<JsonElement>(community),
                c => c.GetProperty("open").EnumerateArray().Any(a => a.GetProperty("alarm").GetProperty("device").GetString() == meter && Status(a, "condition") == "ClearedUnacknowledged"),
                TimeSpan.FromSeconds(30), $"{meter}'s alarm cleared and listed");
        }

        // A third meter's alarm: the list would hold three, so the system closes lb-w1's, the one cleared longest ago.
        await OutsideClients.MosquittoPubAsync(silo.MqttPort, "city/lb-d/lb-c/water/lb-w3", $$"""{"ts":{{ts}},"total":10,"flow":0.5,"pressure":0.05}""");
        var open = await Wait.UntilAsync(() => silo.Http.GetFromJsonAsync<JsonElement>(community),
            c => c.GetProperty("open").GetArrayLength() == 2 && c.GetProperty("open").EnumerateArray().Any(a => a.GetProperty("alarm").GetProperty("device").GetString() == "lb-w3"),
            TimeSpan.FromSeconds(30), "lb-w3's alarm listed and the list back to two");
        Assert.Equal(["lb-w2", "lb-w3"], open.GetProperty("open").EnumerateArray().Select(a => a.GetProperty("alarm").GetProperty("device").GetString()).Order());

        var closedId = $"lb-w1/pressure-low/{ts}";
        var closed = await silo.Http.GetFromJsonAsync<JsonElement>($"{community}/{closedId}");
        Assert.Equal(("ClearedAcknowledged", null), (Status(closed, "condition"), Status(closed, "acknowledgedBy")));
        var last = closed.GetProperty("audit").EnumerateArray().Last();
        Assert.Equal(("ClosedBySystem", "system"), (last.GetProperty("action").GetString(), last.GetProperty("by").GetString()));
        Assert.Contains("Alarms:ListKept", last.GetProperty("comment").GetString(), StringComparison.Ordinal);
        // Announced like any change, and counted where an operator scrapes the silo.
        await Wait.UntilAsync(() => Task.FromResult(Changes(sse, closedId).LastOrDefault() == "ClosedBySystem"), TimeSpan.FromSeconds(10), "the close on SSE");
        await Wait.UntilAsync(async () => (await silo.Http.GetStringAsync("/metrics")).Contains("citysense_alarms_closed_by_system_total{otel_scope_name=\"CitySense.Communities\"} 1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "the counter on /metrics");
    }

    private static async Task<JsonElement?> ReadStoredAsync(string file) =>
        File.Exists(file) ? JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement.Clone() : null;

    /// <summary>The version of the alarm stored in a full copy's open alarms or a journal's changes (one alarm here).</summary>
    private static long? StoredVersion(JsonElement? file, string list) =>
        file?.GetProperty("State").GetProperty(list) is { ValueKind: JsonValueKind.Array } records && records.GetArrayLength() > 0
            ? records[records.GetArrayLength() - 1].GetProperty("Status").GetProperty("Version").GetInt64()
            : null;

    private static async Task<JsonElement[]> OpenAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>(Community)).GetProperty("open").EnumerateArray().ToArray();

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string alarmId, string action, object body) =>
        http.PostAsJsonAsync($"{Community}/{alarmId}/{action}", body);

    private static string Id(JsonElement[] open, string type) =>
        open.Single(a => a.GetProperty("alarm").GetProperty("type").GetString() == type).GetProperty("alarm").GetProperty("alarmId").GetString()!;

    private static string? Status(JsonElement record, string name) =>
        record.GetProperty("status").GetProperty(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static string? AlarmId(JsonElement message) => message.GetProperty("alarm").GetProperty("alarmId").GetString();

    private static string[] Changes(SseTestClient sse, string alarmId) =>
        sse.Received.Where(m => m.Type == "alarm" && AlarmId(m.Body) == alarmId).Select(m => m.Body.GetProperty("change").GetProperty("action").GetString()!).ToArray();

    private static string[] Changes(AlarmSubscriber mqtt, string alarmId) =>
        mqtt.Messages.Where(m => AlarmId(m) == alarmId).Select(m => m.GetProperty("change").GetProperty("action").GetString()!).ToArray();
}
