using System.Text.Json.Nodes;
using CitySense.Api.Ngsi;
using CitySense.Contracts.History;
using Xunit;

namespace CitySense.UnitTests.Ngsi;

public sealed class NgsiParsingTests
{
    private static readonly JsonObject Entity = new()
    {
        ["id"] = "urn:ngsi-ld:Device:d1",
        ["type"] = "Device",
        ["batteryLevel"] = NgsiAttributes.Property(0.87),
        ["deviceState"] = NgsiAttributes.Property("online"),
        ["refCommunity"] = NgsiAttributes.Relationship("urn:ngsi-ld:Community:a:b"),
    };

    [Theory]
    [InlineData("PT1H", HistoryStep.Hour, 1)]
    [InlineData("PT6H", HistoryStep.Hour, 6)]
    [InlineData("P1D", HistoryStep.Day, 1)]
    [InlineData("P2W", HistoryStep.Day, 14)]
    [InlineData("P1M", HistoryStep.Month, 1)]
    public void Durations_of_hours_days_weeks_and_months_map_to_history_steps(string text, HistoryStep step, int count)
    {
        Assert.True(NgsiDuration.TryParse(text, out var duration));
        Assert.Equal(new NgsiDuration(step, count), duration);
    }

    [Theory]
    [InlineData("PT5M")]
    [InlineData("P1Y")]
    [InlineData("P1DT1H")]
    [InlineData("PT0S")]
    [InlineData("1D")]
    public void Durations_the_history_cannot_answer_are_refused(string text) => Assert.False(NgsiDuration.TryParse(text, out _));

    [Fact]
    public void Attrs_keep_id_type_and_the_named_attributes()
    {
        Assert.True(NgsiAttrs.TryParse("batteryLevel", out var names, out _));
        var projected = NgsiAttrs.Project(Entity, names);
        Assert.Equal(["id", "type", "batteryLevel"], projected.Select(p => p.Key));
    }

    [Fact]
    public void Daily_buckets_aggregate_into_periods_counted_from_the_first_local_day_even_with_a_day_missing()
    {
        NgsiInstance Day(int day, decimal value) => new(day * 86_400_000L, (day + 1) * 86_400_000L, $"2026-12-{day:00}T00:00:00+00:00", value);
        NgsiInstance[] days = [Day(1, 1m), Day(2, 2m), Day(4, 4m)];
        var periods = NgsiTemporal.Periods(days, new NgsiDuration(HistoryStep.Day, 2));
        Assert.Equal(2, periods.Count);
        Assert.Equal(3m, NgsiTemporal.Aggregate("sum", periods[0]).GetValue<decimal>());
        Assert.Equal(4m, NgsiTemporal.Aggregate("max", periods[1]).GetValue<decimal>());
        Assert.Equal(1, NgsiTemporal.Aggregate("totalCount", periods[1]).GetValue<int>());
        Assert.Single(NgsiTemporal.Periods(days, null));
    }

    [Fact]
    public void Entity_ids_parse_back_into_their_type_and_citysense_ids()
    {
        Assert.True(NgsiIds.TryParse(NgsiIds.Community("d1", "c1"), out var type, out var parts));
        Assert.Equal("Community", type);
        Assert.Equal(["d1", "c1"], parts);
        Assert.True(NgsiIds.TryParse(NgsiIds.Alert("w-1/leak/1700000000000"), out type, out parts));
        Assert.Equal(3, parts.Length);
        Assert.False(NgsiIds.TryParse("urn:ngsi-ld:Device:bad id", out _, out _));
        Assert.False(NgsiIds.TryParse("urn:ngsi-ld:Building:x", out _, out _));
    }
}
