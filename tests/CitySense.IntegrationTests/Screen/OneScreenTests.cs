using System.Globalization;
using System.Text.Json;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Microsoft.Playwright;
using MQTTnet;
using Xunit;

namespace CitySense.IntegrationTests.Screen;

/// <summary>
/// The operators' one screen (issue 18) in headless Chromium (Debian's /usr/bin/chromium) at 1920×1080, against the
/// real host fed with real MQTT readings: every panel and tile on the screen without scrolling, figures that move, and
/// the alarm workflow driven from the page with an operator's key while a read-only key gets no actions.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class OneScreenTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const int ScreenWidthPx = 1920;
    private const int ScreenHeightPx = 1080;
    private const string WallKey = "one-screen-wall-key";
    private const string OperatorKey = "one-screen-operator-key";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_panel_and_tile_fits_a_1920_by_1080_screen_without_scrolling_the_tiles_update_and_a_tile_opens_its_report()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: tests/run.sh installs it (apt-get install chromium).");
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>());
        await using var publisher = await Publisher.ConnectAsync(silo.MqttPort, "one-screen-publisher");
        var ts = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        // A city of two districts of four communities, every register kind, and alarms to list.
        var step = 0;
        foreach (var district in new[] { "os-north", "os-south" })
        {
            foreach (var community in new[] { "alder", "birch", "cedar", "dogwood" })
            {
                await PublishAsync(publisher, $"city/{district}/{community}/water/os-w-{district}-{community}", ts + step, $$"""{"total":{{10 + step}},"flow":1.5,"pressure":{{(community == "alder" ? 0.05 : 0.3).ToString(CultureInfo.InvariantCulture)}}}""");
                await PublishAsync(publisher, $"city/{district}/{community}/heat/os-h-{district}-{community}", ts + step, """{"energy":100,"power":12,"flow":0.5,"supplyTemp":70,"returnTemp":50}""");
                await PublishAsync(publisher, $"city/{district}/{community}/gas/os-g-{district}-{community}", ts + step, """{"total":5,"flow":0.2,"pressure":2.1}""");
                step++;
            }
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = ScreenWidthPx, Height = ScreenHeightPx } });
        await page.GotoAsync($"http://127.0.0.1:{silo.HttpPort}/");
        await Assertions.Expect(page.GetByTestId("status")).ToContainTextAsync("live");
        var readings = page.GetByTestId("figure-water-accepted");
        await Assertions.Expect(readings).ToHaveTextAsync("8");
        await Assertions.Expect(page.GetByTestId("alarms").Locator("[data-testid^='alarm-']")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("trend-hourly-water")).ToBeVisibleAsync();

        // Scenario tiles: as many as the silo's scenario list, whatever their number (at least the 20 of issue 18).
        var scenarios = await ScenarioIdsAsync(silo);
        Assert.True(scenarios.Length >= 20, $"GET /api/scenarios lists {scenarios.Length} scenarios.");
        var tiles = page.GetByTestId("scenarios").Locator("[data-testid^='tile-']:not([data-testid$='-headline'])");
        await Assertions.Expect(tiles).ToHaveCountAsync(scenarios.Length);

        await AssertNoScrollAsync(page);
        string[] panels = ["area-panel", "scenarios-panel", "alarms-panel", "area-title", "crumbs", "status", "quality-card", "alarms", "timeline", "trend-hourly-water", "trend-daily-water", "children"];
        foreach (var panel in panels)
        {
            await AssertOnScreenAsync(page.GetByTestId(panel), panel);
        }

        foreach (var tile in await page.Locator("[data-testid^='kind-'], [data-testid^='child-']").AllAsync())
        {
            await AssertOnScreenAsync(tile, await tile.GetAttributeAsync("data-testid") ?? "a tile");
        }

        foreach (var id in scenarios)
        {
            await AssertOnScreenAsync(page.GetByTestId($"tile-{id}"), $"scenario tile {id}");
        }

        // The tiles update: readings published now move the city's figures and scenario headlines on the open page (a
        // third community's pressure out of its band, a new alarm).
        var headlines = await HeadlinesAsync(page);
        await PublishAsync(publisher, "city/os-south/birch/water/os-w-extra", ts + 100, """{"total":3,"flow":0.5,"pressure":0.04}""");
        await Assertions.Expect(readings).ToHaveTextAsync("9");
        await Wait.UntilAsync(() => HeadlinesAsync(page), now => now.Any(h => headlines.TryGetValue(h.Key, out var before) && before != h.Value), Patience,
            "a scenario tile's headline to change");

        // A tile opens its report: the rule and the rows worst first, as GET /api/scenarios/water-pressure has them, on
        // the one screen; Close hides it. The city is quiet now, so the page's report and the API's are the same.
        await page.GetByTestId("tile-water-pressure").ClickAsync();
        var report = page.GetByTestId("scenario-report");
        await Assertions.Expect(report).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("report-title")).ToHaveTextAsync("Water pressure band");
        var api = (await silo.GetJsonAsync("/api/scenarios/water-pressure"))!.Value;
        await Assertions.Expect(page.GetByTestId("report-rule")).ToHaveTextAsync(api.GetProperty("rule").GetString()!);
        var expectedRows = api.GetProperty("rows").EnumerateArray()
            .Select(r => new[] { r.GetProperty("area").GetString()!, r.GetProperty("value").GetDouble().ToString("R", CultureInfo.InvariantCulture), r.GetProperty("status").GetString()!, r.GetProperty("note").GetString() ?? "" })
            .ToArray();
        Assert.Equal(8, expectedRows.Length);
        Assert.Equal(["alarm", "alarm", "alarm"], expectedRows.Take(3).Select(r => r[2]));
        var rows = page.GetByTestId("report-rows").Locator("tr");
        await Assertions.Expect(rows).ToHaveCountAsync(expectedRows.Length);
        var shownRows = await rows.EvaluateAllAsync<string[][]>(
            "all => all.map(tr => [tr.querySelector('.area').textContent, tr.querySelector('.value').dataset.value, tr.querySelector('.status').textContent, tr.querySelector('.note').textContent])");
        Assert.Equal(expectedRows, shownRows.Select(r => new[] { r[0], double.Parse(r[1], CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture), r[2], r[3] }).ToArray());
        await AssertOnScreenAsync(report, "the scenario report");
        await AssertOnScreenAsync(page.GetByTestId("report-close"), "the report's close button");
        await AssertNoScrollAsync(page);
        await page.GetByTestId("report-close").ClickAsync();
        await Assertions.Expect(report).ToBeHiddenAsync();

        // Drill-down city → district → community keeps the one screen.
        await page.GetByTestId("child-os-north").ClickAsync();
        await Assertions.Expect(page.GetByTestId("area-title")).ToHaveTextAsync("District os-north");
        await Assertions.Expect(page.GetByTestId("alarms").Locator("[data-testid^='alarm-']")).ToHaveCountAsync(1);
        await AssertNoScrollAsync(page);
        await page.GetByTestId("child-alder").ClickAsync();
        await Assertions.Expect(page.GetByTestId("area-title")).ToContainTextAsync("Community alder");
        await Assertions.Expect(page.GetByTestId("figure-water-accepted")).ToHaveTextAsync("1");
        await AssertNoScrollAsync(page);
    }

    [Fact]
    public async Task An_alarm_raised_by_mqtt_readings_is_acknowledged_on_the_page_with_an_operators_key_and_leaves_the_list_only_when_closed()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: tests/run.sh installs it (apt-get install chromium).");
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Keys:0:Key"] = WallKey,
            ["Api:Keys:0:Name"] = "wall screen",
            ["Api:Keys:0:Scopes"] = "read",
            ["Api:Keys:1:Key"] = OperatorKey,
            ["Api:Keys:1:Name"] = "ops-anna",
            ["Api:Keys:1:Scopes"] = "read,operate",
        });
        silo.Http.DefaultRequestHeaders.Add("X-Api-Key", WallKey);
        await using var publisher = await Publisher.ConnectAsync(silo.MqttPort, "one-screen-alarms");
        var ts = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();
        // Two water meters whose pressure falls below Alarms:WaterPressureMin (0.15 MPa): two pressure-low alarms.
        await PublishAsync(publisher, "city/oa-d/oa-c/water/oa-w1", ts, """{"total":1,"flow":0.5,"pressure":0.05}""");
        await PublishAsync(publisher, "city/oa-d/oa-c/water/oa-w2", ts, """{"total":1,"flow":0.5,"pressure":0.06}""");
        var first = $"oa-w1/pressure-low/{ts}";
        var second = $"oa-w2/pressure-low/{ts}";

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = ScreenWidthPx, Height = ScreenHeightPx } });
        await page.GotoAsync($"http://127.0.0.1:{silo.HttpPort}/");

        // A wall screen's read-only key: the alarms, and no action to be refused.
        await EnterKeyAsync(page, WallKey);
        await Assertions.Expect(page.GetByTestId($"condition-{first}")).ToHaveTextAsync("new · unacknowledged");
        await Assertions.Expect(page.GetByTestId("alarms-readonly")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId($"acknowledge-{first}")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("identity")).ToContainTextAsync("wall screen · read-only");

        // The operator's key: acknowledge from the page.
        await page.GetByTestId("change-key").ClickAsync();
        await EnterKeyAsync(page, OperatorKey);
        await Assertions.Expect(page.GetByTestId("identity")).ToContainTextAsync("ops-anna · operate");
        await page.GetByTestId($"acknowledge-{first}").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"condition-{first}")).ToHaveTextAsync("active · acknowledged");
        await Assertions.Expect(page.GetByTestId($"who-{first}")).ToContainTextAsync("acknowledged by ops-anna");
        await Assertions.Expect(page.GetByTestId($"acknowledge-{first}")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId($"event-{first}-2")).ToContainTextAsync("acknowledged pressure-low · oa-c oa-w1 · by ops-anna");

        // The API has it acknowledged by the key's name.
        var acknowledged = await AlarmAsync(silo, first, a => a.GetProperty("status").GetProperty("condition").GetString() == "ActiveAcknowledged");
        Assert.Equal("ops-anna", acknowledged.GetProperty("status").GetProperty("acknowledgedBy").GetString());
        Assert.Equal(["Raised", "Acknowledged"], acknowledged.GetProperty("audit").EnumerateArray().Select(e => e.GetProperty("action").GetString()));

        // Pressure back to normal on both meters. The acknowledged alarm is then closed and leaves the list; the other
        // one is cleared but nobody acknowledged it, so it stays until somebody does.
        await PublishAsync(publisher, "city/oa-d/oa-c/water/oa-w1", ts + 60_000, """{"total":1.1,"flow":0.5,"pressure":0.3}""");
        await PublishAsync(publisher, "city/oa-d/oa-c/water/oa-w2", ts + 60_000, """{"total":1.1,"flow":0.5,"pressure":0.3}""");
        await Assertions.Expect(page.GetByTestId($"alarm-{first}")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId($"condition-{second}")).ToHaveTextAsync("cleared · unacknowledged");
        await page.GetByTestId($"acknowledge-{second}").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"alarm-{second}")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("alarms")).ToContainTextAsync("No alarm.");
        await Assertions.Expect(page.GetByTestId($"event-{second}-3")).ToContainTextAsync("by ops-anna");
        var closed = await AlarmAsync(silo, second, a => a.GetProperty("status").GetProperty("closed").GetBoolean());
        Assert.Equal("ops-anna", closed.GetProperty("status").GetProperty("acknowledgedBy").GetString());
    }

    [Fact]
    public async Task An_operator_assigns_comments_and_clears_an_alarm_from_the_page_and_the_audit_trail_names_the_key_for_each()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: tests/run.sh installs it (apt-get install chromium).");
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Keys:0:Key"] = OperatorKey,
            ["Api:Keys:0:Name"] = "ops-anna",
            ["Api:Keys:0:Scopes"] = "read,operate",
        });
        silo.Http.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
        await using var publisher = await Publisher.ConnectAsync(silo.MqttPort, "one-screen-actions");
        var ts = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();
        await PublishAsync(publisher, "city/oa-d/oa-c/water/oa-w3", ts, """{"total":1,"flow":0.5,"pressure":0.05}""");
        var alarm = $"oa-w3/pressure-low/{ts}";

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = ScreenWidthPx, Height = ScreenHeightPx } });
        // The page asks team and comments with prompt(): answer each as an operator would type it.
        var asked = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Message);
            await dialog.AcceptAsync(dialog.Message.StartsWith("Assign", StringComparison.Ordinal) ? "night crew"
                : dialog.Message.StartsWith("Comment", StringComparison.Ordinal) ? "valve checked on site" : "meter replaced");
        };
        await page.GotoAsync($"http://127.0.0.1:{silo.HttpPort}/");
        await EnterKeyAsync(page, OperatorKey);
        await Assertions.Expect(page.GetByTestId($"condition-{alarm}")).ToHaveTextAsync("new · unacknowledged");

        await page.GetByTestId($"assign-{alarm}").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"who-{alarm}")).ToContainTextAsync("team night crew");
        await page.GetByTestId($"comment-{alarm}").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"event-{alarm}-3")).ToContainTextAsync("by ops-anna");
        // Clearing by hand also acknowledges: the alarm is closed and leaves the list.
        await page.GetByTestId($"clear-{alarm}").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"alarm-{alarm}")).ToHaveCountAsync(0);
        Assert.Equal(3, asked.Count);

        var record = await AlarmAsync(silo, alarm, a => a.GetProperty("audit").EnumerateArray().Any(e => e.GetProperty("action").GetString() == "ClearedByHand"));
        var trail = record.GetProperty("audit").EnumerateArray()
            .Select(e => (Action: e.GetProperty("action").GetString(), By: e.GetProperty("by").GetString(), Team: Text(e, "team"), Comment: Text(e, "comment")))
            .ToArray();
        Assert.Equal(("Raised", "rule"), (trail[0].Action, trail[0].By));
        string[] fromThePage = ["Assigned", "Commented", "ClearedByHand"];
        Assert.Equal([("Assigned", "ops-anna", "night crew", null), ("Commented", "ops-anna", null, "valve checked on site"), ("ClearedByHand", "ops-anna", null, "meter replaced")],
            trail.Where(e => fromThePage.Contains(e.Action)).Select(e => (e.Action, e.By, e.Action == "Assigned" ? e.Team : null, e.Action == "Assigned" ? null : e.Comment)));
        Assert.Equal("night crew", record.GetProperty("status").GetProperty("assignedTo").GetString());
    }

    private static string? Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<IBrowser> LaunchAsync(IPlaywright playwright) => await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });

    private static async Task EnterKeyAsync(IPage page, string key)
    {
        await Assertions.Expect(page.GetByTestId("keyform")).ToBeVisibleAsync();
        await page.Locator("#key").FillAsync(key);
        await page.GetByTestId("keyform").Locator("button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("status")).ToContainTextAsync("live");
    }

    /// <summary>The ids GET /api/scenarios lists (none on a silo without the scenarios API).</summary>
    private static async Task<string[]> ScenarioIdsAsync(CitySenseInstance silo) =>
        await silo.GetJsonAsync("/api/scenarios") is { } list ? list.EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToArray() : [];

    /// <summary>One alarm of the test community from the workflow API, once <paramref name="done"/> holds.</summary>
    private static Task<JsonElement> AlarmAsync(CitySenseInstance silo, string alarmId, Func<JsonElement, bool> done) =>
        Wait.UntilAsync(async () => (await silo.GetJsonAsync($"/api/districts/oa-d/communities/oa-c/alarms/{alarmId}"))!.Value, done, Patience, $"alarm {alarmId}");

    /// <summary>Each scenario tile's headline as the page shows it, by tile.</summary>
    private static async Task<Dictionary<string, string>> HeadlinesAsync(IPage page) =>
        (await page.Locator("[data-testid^='tile-'][data-testid$='-headline']").EvaluateAllAsync<string[][]>("all => all.map(h => [h.dataset.testid, h.textContent])"))
            .ToDictionary(h => h[0], h => h[1]);

    private static async Task AssertNoScrollAsync(IPage page)
    {
        var sizes = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollHeight, document.scrollingElement.scrollWidth, window.innerHeight, window.innerWidth]");
        var (scrollHeight, scrollWidth, innerHeight, innerWidth) = (sizes[0], sizes[1], sizes[2], sizes[3]);
        Assert.True(scrollHeight <= innerHeight && scrollWidth <= innerWidth, $"The page is {scrollWidth}×{scrollHeight} px in a {innerWidth}×{innerHeight} window: it scrolls.");
    }

    /// <summary>Entirely within the 1920×1080 screen, and big enough to read.</summary>
    private static async Task AssertOnScreenAsync(ILocator element, string what)
    {
        var box = await element.BoundingBoxAsync();
        Assert.True(box is not null, $"{what} is not displayed.");
        Assert.True(box.X >= 0 && box.Y >= 0 && box.X + box.Width <= ScreenWidthPx + 0.5 && box.Y + box.Height <= ScreenHeightPx + 0.5,
            $"{what} is at ({box.X}, {box.Y}) and {box.Width}×{box.Height} px, not within {ScreenWidthPx}×{ScreenHeightPx}.");
        Assert.True(box.Width >= 40 && box.Height >= 16, $"{what} is {box.Width}×{box.Height} px: too small to read.");
    }

    private static async Task PublishAsync(Publisher publisher, string topic, long ts, string reading)
    {
        // The reading's own fields, with its time put first.
        var code = await publisher.PublishAsync(topic, $$"""{"ts":{{ts.ToString(CultureInfo.InvariantCulture)}},{{reading[1..]}}""");
        Assert.True(code is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers, $"PUBACK {code}");
    }
}
