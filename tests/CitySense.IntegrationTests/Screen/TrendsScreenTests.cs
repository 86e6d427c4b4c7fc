using System.Globalization;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Microsoft.Playwright;
using MQTTnet;
using Xunit;

namespace CitySense.IntegrationTests.Screen;

/// <summary>
/// The trends of the operations screen (consumption per hour over the last day, per day over the last month) in
/// headless Chromium (Debian's /usr/bin/chromium), against the real host fed with real MQTT readings and guarded by an
/// API key with scope read only, as a control-room screen's key would be.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class TrendsScreenTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ScreenKey = "trends-screen-key";
    private const long HourMs = 3_600_000;
    private const long MinuteMs = 60_000;
    private const int ScreenWidthPx = 1920;
    private const int ScreenHeightPx = 1080;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_screen_draws_the_hourly_and_daily_water_consumption_the_history_api_gives_for_the_city_and_a_district()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: tests/run.sh installs it (apt-get install chromium).");
        // Shanghai: a whole-hour offset, so the city's local hours are the UTC hours computed here.
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Alarms:TimeZone"] = "Asia/Shanghai",
            ["Api:Keys:0:Key"] = ScreenKey,
            ["Api:Keys:0:Name"] = "control room",
            ["Api:Keys:0:Scopes"] = "read",
        });
        silo.Http.DefaultRequestHeaders.Add("X-Api-Key", ScreenKey);

        // Each meter: a baseline in the hour before last, then a reading in the last hour and one in this hour. Gaps of
        // at most 31 min stay under Vee:MinGap, so everything is measured: each hour gets exactly the register's steps.
        var hour = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / HourMs * HourMs;
        long[] times = [hour - (90 * MinuteMs), hour - (30 * MinuteMs), hour + MinuteMs];
        var meters = new (string District, string Community, string Device, decimal[] Totals)[]
        {
            ("tr-north", "garden", "tr-w1", [100m, 101.5m, 102.25m]),
            ("tr-north", "river", "tr-w2", [50m, 52m, 52.5m]),
            ("tr-south", "hill", "tr-w3", [7m, 7.75m, 10m]),
        };
        await using var publisher = await Publisher.ConnectAsync(silo.MqttPort, "trends-publisher");
        foreach (var (district, community, device, totals) in meters)
        {
            for (var i = 0; i < times.Length; i++)
            {
                await PublishAsync(publisher, district, community, device, times[i], totals[i]);
            }
        }

        var cityMoved = Movement(meters, times);
        var northMoved = Movement(meters.Where(m => m.District == "tr-north"), times);
        Assert.Equal(new Dictionary<long, decimal> { [hour - HourMs] = 4.25m, [hour] = 3.5m }, cityMoved);

        var cityHours = await HistoryAsync(silo, "/api/city", "1h", cityMoved);
        var cityDays = await HistoryAsync(silo, "/api/city", "1d", null);
        Assert.Equal(cityMoved.Values.Sum(), cityDays.Values.Sum());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = ScreenWidthPx, Height = ScreenHeightPx } });
        await page.GotoAsync($"http://127.0.0.1:{silo.HttpPort}/");

        // The page's calls carry the key the operator enters, like its live connection.
        await Assertions.Expect(page.GetByTestId("keyform")).ToBeVisibleAsync();
        await page.Locator("#key").FillAsync(ScreenKey);
        await page.GetByTestId("keyform").Locator("button").ClickAsync();

        var hourly = page.GetByTestId("trend-hourly-water");
        var daily = page.GetByTestId("trend-daily-water");
        Assert.Equal(cityHours, await BarsAsync(hourly, cityHours));
        Assert.Equal(cityDays, await BarsAsync(daily, cityDays));
        await AssertOnScreenAsync(hourly);
        await AssertOnScreenAsync(daily);
        await AssertBarsScaledAsync(hourly, cityHours);
        await Assertions.Expect(page.GetByTestId("trend-hourly-water-total")).ToContainTextAsync("7.75");
        // Only water meters reported: no empty heat or gas rows take the screen.
        await Assertions.Expect(page.GetByTestId("trend-hourly-heat")).ToHaveCountAsync(0);

        // A reading after the page drew its trends: the drill-down reads the district's history anew.
        await PublishAsync(publisher, "tr-north", "garden", "tr-w1", hour + (2 * MinuteMs), 103m);
        northMoved[hour] += 0.75m;
        var northHours = await HistoryAsync(silo, "/api/districts/tr-north", "1h", northMoved);
        var northDays = await HistoryAsync(silo, "/api/districts/tr-north", "1d", null);
        Assert.Equal(northMoved.Values.Sum(), northDays.Values.Sum());

        await page.GetByTestId("child-tr-north").ClickAsync();
        await Assertions.Expect(page.GetByTestId("area-title")).ToHaveTextAsync("District tr-north");
        Assert.Equal(northHours, await BarsAsync(hourly, northHours));
        Assert.Equal(northDays, await BarsAsync(daily, northDays));
        await AssertOnScreenAsync(hourly);
        await AssertOnScreenAsync(daily);
        await AssertBarsScaledAsync(hourly, northHours);

        // And back: the city's trends now include the new reading too.
        var cityHoursAfter = await HistoryAsync(silo, "/api/city", "1h", new Dictionary<long, decimal>(cityMoved) { [hour] = cityMoved[hour] + 0.75m });
        await page.GetByTestId("crumb-city").ClickAsync();
        await Assertions.Expect(page.GetByTestId("area-title")).ToHaveTextAsync("City");
        Assert.Equal(cityHoursAfter, await BarsAsync(hourly, cityHoursAfter));
    }

    /// <summary>What the meters' registers moved, per hour of the later reading of each pair (the first reading is a baseline).</summary>
    private static Dictionary<long, decimal> Movement(IEnumerable<(string District, string Community, string Device, decimal[] Totals)> meters, long[] times)
    {
        var moved = new Dictionary<long, decimal>();
        foreach (var meter in meters)
        {
            for (var i = 1; i < times.Length; i++)
            {
                var bucket = times[i] / HourMs * HourMs;
                moved[bucket] = moved.GetValueOrDefault(bucket) + meter.Totals[i] - meter.Totals[i - 1];
            }
        }

        return moved;
    }

    /// <summary>
    /// An area's water buckets (start → consumption) from the history API with the page's range (the step's default),
    /// once the buckets with consumption are <paramref name="moved"/> (readings reach the district and city shortly after
    /// their PUBACK), or at once when <paramref name="moved"/> is null.
    /// </summary>
    private static Task<Dictionary<long, decimal>> HistoryAsync(CitySenseInstance silo, string area, string step, Dictionary<long, decimal>? moved) =>
        Wait.UntilAsync(
            async () =>
            {
                var history = (await silo.GetJsonAsync($"{area}/history?kind=water&step={step}"))!.Value;
                return history.GetProperty("points").EnumerateArray()
                    .ToDictionary(p => p.GetProperty("startMs").GetInt64(), p => p.GetProperty("consumption").GetDecimal());
            },
            buckets => moved is null || (buckets.Where(b => b.Value != 0).Count() == moved.Count && moved.All(m => buckets.GetValueOrDefault(m.Key) == m.Value)),
            Patience,
            $"the water history of {area} per {step}");

    /// <summary>The bars of a chart (data-start → data-value), once they are the ones <paramref name="expected"/> names.</summary>
    private static Task<Dictionary<long, decimal>> BarsAsync(ILocator chart, Dictionary<long, decimal> expected) =>
        Wait.UntilAsync(
            async () => (await chart.Locator("[data-start]").EvaluateAllAsync<string[][]>("bars => bars.map(b => [b.dataset.start, b.dataset.value])"))
                .ToDictionary(b => long.Parse(b[0], CultureInfo.InvariantCulture), b => decimal.Parse(b[1], NumberStyles.Float, CultureInfo.InvariantCulture)),
            bars => bars.Count == expected.Count && expected.All(e => bars.TryGetValue(e.Key, out var value) && value == e.Value),
            Patience,
            "the bars of the chart");

    /// <summary>Within the 1920×1080 screen as the page opens: a control-room screen is never scrolled.</summary>
    private static async Task AssertOnScreenAsync(ILocator chart)
    {
        var box = await chart.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.Y >= 0 && box.X + box.Width <= ScreenWidthPx && box.Y + box.Height <= ScreenHeightPx,
            $"The chart is at ({box.X}, {box.Y}) and {box.Width}×{box.Height} px, not within {ScreenWidthPx}×{ScreenHeightPx}.");
        Assert.True(box.Width >= 300 && box.Height >= 50, $"The chart is {box.Width}×{box.Height} px: too small to read across a room.");
    }

    /// <summary>The bars' heights are proportional to their values: the largest fills the chart, the others in proportion.</summary>
    private static async Task AssertBarsScaledAsync(ILocator chart, Dictionary<long, decimal> buckets)
    {
        var max = buckets.Values.Max();
        var tallest = (await chart.Locator($"[data-start='{buckets.First(b => b.Value == max).Key}']").BoundingBoxAsync())!.Height;
        foreach (var (start, value) in buckets.Where(b => b.Value != 0))
        {
            var height = (await chart.Locator($"[data-start='{start}']").BoundingBoxAsync())!.Height;
            var ratio = (double)(value / max);
            Assert.InRange(height / tallest, ratio - 0.05, ratio + 0.05);
        }
    }

    private static async Task PublishAsync(Publisher publisher, string district, string community, string device, long ts, decimal total)
    {
        var code = await publisher.PublishAsync($"city/{district}/{community}/water/{device}",
            string.Create(CultureInfo.InvariantCulture, $$"""{"ts":{{ts}},"total":{{total}},"flow":1.2}"""));
        Assert.True(code is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers, $"PUBACK {code}");
    }
}
