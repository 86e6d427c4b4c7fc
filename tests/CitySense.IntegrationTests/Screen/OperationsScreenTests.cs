using System.Globalization;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Microsoft.Playwright;
using Xunit;

namespace CitySense.IntegrationTests.Screen;

/// <summary>
/// The live operations screen in headless Chromium (Debian's /usr/bin/chromium; Playwright never downloads a browser
/// here), against the real host fed with real MQTT readings.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class OperationsScreenTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_screen_shows_live_city_figures_that_change_as_readings_arrive_and_drills_down_to_a_community()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: tests/run.sh installs it (apt-get install chromium).");
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>());
        await using var publisher = await Publisher.ConnectAsync(silo.MqttPort, "screen-publisher");
        var ts = DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeMilliseconds();
        await PublishAsync(publisher, "sc-north", "garden", "sc-w1", ts, total: 10, flow: 1.5);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        await page.GotoAsync($"http://127.0.0.1:{silo.HttpPort}/");

        // The snapshot: the city's water figures and the district tile.
        var cityReadings = page.GetByTestId("figure-water-accepted");
        await Assertions.Expect(cityReadings).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("figure-water-flowSum")).ToHaveTextAsync("1.5");
        await Assertions.Expect(page.GetByTestId("status")).ToContainTextAsync("live");

        // Live: readings published now change the figures on the open page.
        await PublishAsync(publisher, "sc-north", "river", "sc-w2", ts + 1000, total: 20, flow: 2.25);
        await PublishAsync(publisher, "sc-south", "hill", "sc-w3", ts + 2000, total: 30, flow: 0.5);
        await Assertions.Expect(cityReadings).ToHaveTextAsync("3");
        await Assertions.Expect(page.GetByTestId("figure-water-flowSum")).ToHaveTextAsync("4.25");

        // Drill down: city → district → community.
        await page.GetByTestId("child-sc-north").ClickAsync();
        await Assertions.Expect(page.GetByTestId("area-title")).ToHaveTextAsync("District sc-north");
        await Assertions.Expect(page.GetByTestId("figure-water-flowSum")).ToHaveTextAsync("3.75");
        await page.GetByTestId("child-river").ClickAsync();
        await Assertions.Expect(page.GetByTestId("area-title")).ToContainTextAsync("Community river");
        await Assertions.Expect(page.GetByTestId("figure-water-flowSum")).ToHaveTextAsync("2.25");
        // The community's data quality and device counts, read from its snapshot on drill-down.
        await Assertions.Expect(page.GetByTestId("quality-devices-online")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[1-9][0-9]*$"));
        await Assertions.Expect(page.GetByTestId("quality-score")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]+$"));

        // Still live down there.
        await PublishAsync(publisher, "sc-north", "river", "sc-w2", ts + 60_000, total: 21, flow: 3);
        await Assertions.Expect(page.GetByTestId("figure-water-flowSum")).ToHaveTextAsync("3");
        await Assertions.Expect(page.GetByTestId("figure-water-consumption")).ToHaveTextAsync("1");

        await page.GetByTestId("crumb-city").ClickAsync();
        await Assertions.Expect(page.GetByTestId("area-title")).ToHaveTextAsync("City");
        await Assertions.Expect(page.GetByTestId("figure-water-accepted")).ToHaveTextAsync("4");
    }

    private static Task PublishAsync(Publisher publisher, string district, string community, string device, long ts, double total, double flow) =>
        publisher.PublishAsync($"city/{district}/{community}/water/{device}",
            string.Create(CultureInfo.InvariantCulture, $$"""{"ts":{{ts}},"total":{{total}},"flow":{{flow}}}"""));
}
