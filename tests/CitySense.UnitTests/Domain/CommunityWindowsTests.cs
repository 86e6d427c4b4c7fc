using CitySense.Contracts.Indicators;

namespace CitySense.UnitTests.Domain;

/// <summary>How many windows a community keeps (<see cref="IndicatorOptions.ForCommunities"/>).</summary>
public sealed class CommunityWindowsTests
{
    [Fact]
    public void A_community_keeps_its_own_number_of_windows_by_default()
    {
        var options = new IndicatorOptions();

        Assert.Equal(7, options.ForCommunities().WindowsKept);
        Assert.Equal(60, options.WindowsKept);
    }

    [Fact]
    public void Never_fewer_than_the_allowed_lateness_spans_so_a_timely_late_reading_finds_its_window()
    {
        // 5 minutes of lateness in 10-second windows: 30 windows back plus the current one.
        var options = new IndicatorOptions { Window = TimeSpan.FromSeconds(10), AllowedLateness = TimeSpan.FromMinutes(5), CommunityWindowsKept = 4 };

        Assert.Equal(31, options.ForCommunities().WindowsKept);
    }

    [Fact]
    public void Never_more_than_the_general_number()
    {
        var options = new IndicatorOptions { WindowsKept = 12, CommunityWindowsKept = 30 };

        Assert.Equal(12, options.ForCommunities().WindowsKept);
    }

    [Fact]
    public void The_other_options_are_the_same_and_the_original_is_unchanged()
    {
        var options = new IndicatorOptions { Window = TimeSpan.FromMinutes(2), FlushInterval = TimeSpan.FromSeconds(3), TimelyWithin = TimeSpan.FromSeconds(7) };

        var community = options.ForCommunities();

        Assert.NotSame(options, community);
        Assert.Equal((options.Window, options.FlushInterval, options.AllowedLateness, options.TimelyWithin), (community.Window, community.FlushInterval, community.AllowedLateness, community.TimelyWithin));
        Assert.Equal(60, options.WindowsKept);
    }
}
