using CitySense.Ingest.Security;

namespace CitySense.UnitTests.Security;

public sealed class TopicFiltersTests
{
    [Theory]
    [InlineData("city/#", "city/d1/c1/water/w1", true)]
    [InlineData("city/#", "city", true)]
    [InlineData("city/+/+/+/+", "city/d1/c1/water/w1", true)]
    [InlineData("city/+/+/+/+", "city/d1/c1/water", false)]
    [InlineData("city/+/+/+/+", "city/d1/c1/water/w1/x", false)]
    [InlineData("city/d1/#", "city/d2/c1/water/w1", false)]
    [InlineData("#", "city/d1/c1/water/w1", true)]
    [InlineData("#", "$SYS/broker/clients", false)]
    [InlineData("+/broker/clients", "$SYS/broker/clients", false)]
    [InlineData("$SYS/#", "$SYS/broker/clients", true)]
    [InlineData("city/d1/c1/water/w1", "city/d1/c1/water/w1", true)]
    [InlineData("city/d1/c1/water/w1", "city/d1/c1/water/w10", false)]
    [InlineData("city/+", "city/", true)]
    public void A_topic_matches_a_filter_as_mqtt_defines_it(string filter, string topic, bool matches)
    {
        Assert.Equal(matches, TopicFilters.Matches(filter, topic));
    }

    [Theory]
    [InlineData("city/#", "city/d1/+/water/#", true)]
    [InlineData("city/#", "city/#", true)]
    [InlineData("city/#", "city", true)]
    [InlineData("city/#", "#", false)]
    [InlineData("city/#", "+/#", false)]
    [InlineData("city/#", "+/d1/c1/water/w1", false)]
    [InlineData("city/d1/#", "city/+/c1/water/w1", false)]
    [InlineData("city/+/c1/#", "city/d1/c1/water/w1", true)]
    [InlineData("city/+/c1/#", "city/+/c1/water/+", true)]
    [InlineData("city/+/+/+/+", "city/d1/c1/water/#", false)]
    [InlineData("#", "$SYS/#", false)]
    [InlineData("$SYS/#", "$SYS/broker/+", true)]
    public void A_scope_covers_a_subscription_only_when_every_topic_it_can_match_is_inside(string scope, string filter, bool covers)
    {
        Assert.Equal(covers, TopicFilters.Covers(scope, filter));
    }

    [Theory]
    [InlineData("city/#", true)]
    [InlineData("#", true)]
    [InlineData("city/+/c1/+/w1", true)]
    [InlineData("city/#/water", false)]
    [InlineData("city/d1#", false)]
    [InlineData("city/d+/c1", false)]
    [InlineData("", false)]
    [InlineData("city/\0", false)]
    public void Only_well_formed_filters_are_valid(string filter, bool valid)
    {
        Assert.Equal(valid, TopicFilters.IsValidFilter(filter));
    }
}
