using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Indicators;
using CitySense.Grains.Domain.Areas;

namespace CitySense.UnitTests.Domain;

/// <summary>
/// The roster keeps its entries as structs inside its dictionary: what a reading or a check changes must stay changed
/// (not be made on a copy), and the room its growth left unused is given back once it has settled.
/// </summary>
public sealed class DeviceRosterTests
{
    private static readonly LivenessOptions Options = new() { MinimumSilence = TimeSpan.FromMinutes(10) };

    [Fact]
    public void An_entry_is_56_bytes_and_its_reading_count_stops_at_the_top_of_its_32_bits()
    {
        Assert.Equal(56, System.Runtime.CompilerServices.Unsafe.SizeOf<RosterEntry>());
        var entry = new RosterEntry("water") { InOrderReadings = uint.MaxValue - 1L };

        entry.InOrderReadings++;
        entry.InOrderReadings++;

        Assert.Equal(uint.MaxValue, entry.InOrderReadings);
    }

    [Fact]
    public void A_device_seen_then_silent_goes_offline_and_comes_back_with_its_next_reading()
    {
        var roster = new DeviceRoster(Options);
        roster.Register("w-1", "water", TimeSpan.FromMinutes(1));

        Assert.False(roster.Seen("w-1", "water", eventMs: 1_000, receivedAtMs: 2_000));
        Assert.True(roster.Devices["w-1"].Online);
        Assert.Equal(2_000, roster.Devices["w-1"].LastSeenMs);
        Assert.Equal(TimeSpan.FromMinutes(1), roster.Devices["w-1"].ExpectedInterval);

        var offline = roster.Check(nowMs: 2_000 + 11 * 60_000);

        var (device, entry) = Assert.Single(offline);
        Assert.Equal("w-1", device);
        Assert.Equal(2_000, entry.OfflineSinceMs);
        Assert.False(roster.Devices["w-1"].Online);
        Assert.Empty(roster.Check(nowMs: 2_000 + 12 * 60_000));

        Assert.True(roster.Seen("w-1", "water", eventMs: 3_000, receivedAtMs: 2_000 + 13 * 60_000));
        Assert.True(roster.Devices["w-1"].Online);
        Assert.Equal(0, roster.Devices["w-1"].OfflineSinceMs);
        Assert.Equal(2, roster.Devices["w-1"].InOrderReadings);
    }

    [Fact]
    public void A_check_gives_back_the_room_growth_left_unused_and_keeps_every_entry()
    {
        var roster = new DeviceRoster(Options);
        for (var i = 0; i < 200; i++)
        {
            roster.Seen($"d-{i}", "water", eventMs: i, receivedAtMs: 1_000);
        }

        Assert.True(roster.Room > 250, $"room {roster.Room} for 200 devices before the check");

        roster.Check(nowMs: 2_000);

        Assert.True(roster.Room <= 250, $"room {roster.Room} for 200 devices after the check");
        Assert.Equal(200, roster.Count);
        Assert.All(Enumerable.Range(0, 200), i => Assert.Equal(1_000, roster.Devices[$"d-{i}"].LastSeenMs));
    }

    [Fact]
    public void Counts_are_per_kind_in_kind_order_with_the_readings_expected_per_hour()
    {
        var roster = new DeviceRoster(Options);
        roster.Register("w-1", "water", TimeSpan.FromMinutes(15));
        roster.Register("w-2", "water", TimeSpan.FromMinutes(30));
        roster.Register("h-1", "heat", null);
        roster.Seen("w-1", "water", eventMs: 1_000, receivedAtMs: 1_000);
        roster.Seen("h-1", "heat", eventMs: 0, receivedAtMs: 1_000);
        roster.Seen("h-1", "heat", eventMs: 600_000, receivedAtMs: 601_000);
        roster.Seen("smoke-1", "smoke", eventMs: 5_000, receivedAtMs: 5_000);
        roster.Check(nowMs: 5_000 + 11 * 60_000);

        var counts = roster.Counts();

        Assert.Equal(["heat", "smoke", "water"], counts.Select(c => c.Kind).ToArray());
        Assert.Equal(new DeviceCounts("heat", 1, 1, 1, 0) { ExpectedPerHour = 6 }, counts[0]);
        Assert.Equal(new DeviceCounts("smoke", 1, 1, 0, 1), counts[1]);
        Assert.Equal(new DeviceCounts("water", 2, 1, 1, 1) { ExpectedPerHour = 6 }, counts[2]);
    }
}
