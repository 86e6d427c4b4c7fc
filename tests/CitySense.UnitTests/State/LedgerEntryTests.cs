using CitySense.Grains.State;
using CitySense.UnitTests.Live;
using Xunit;

namespace CitySense.UnitTests.State;

/// <summary>
/// The ledger entry keeps its register and flow as doubles but must read and write exactly what the record it replaced
/// did: stored area state (Redis, after every batch in a cluster) written before the change reads the same after it.
/// </summary>
public sealed class LedgerEntryTests
{
    public static TheoryData<decimal, decimal?, long, long, double?, long> Entries => new()
    {
        { 0m, null, long.MinValue, 0, null, 0 },
        { 1234.567m, 98765.432m, 1_764_115_200_000, 1_764_000_000_000, 0.75, 3 },
        { 0.001m, 0m, 1, 2, 0.0, 0 },
        { 79228162514264337593543950335m, 99999999999.999m, long.MaxValue, long.MinValue, -1.5e300, long.MaxValue },
        { -3.25m, 1e11m, -5, 5, double.Epsilon, -1 },
        { 12m, 0.1m, 7, 8, 1.0 / 3, 9 },
    };

    [Fact]
    public void A_default_entry_has_no_register_and_no_flow_as_the_record_had()
    {
        var entry = default(LedgerEntry);

        Assert.Equal((0m, (decimal?)null, 0L, 0L, (double?)null, 0L), (entry.Total, entry.Register, entry.NewestMs, entry.FirstSeenMs, entry.Flow, entry.FlowVersion));
        Assert.Equal(new LedgerEntry(0, null, 0, 0), entry);
    }

    [Fact]
    public void An_entry_is_56_bytes_in_its_ledger_s_dictionary()
    {
        // A community keeps one per device: 80 bytes with the nullable decimal register and nullable flow.
        Assert.Equal(56, System.Runtime.CompilerServices.Unsafe.SizeOf<LedgerEntry>());
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void Reads_back_every_member_as_given(decimal total, decimal? register, long newestMs, long firstSeenMs, double? flow, long version)
    {
        var entry = new LedgerEntry(total, register, newestMs, firstSeenMs, flow, version);

        Assert.Equal((total, register, newestMs, firstSeenMs, flow, version), (entry.Total, entry.Register, entry.NewestMs, entry.FirstSeenMs, entry.Flow, entry.FlowVersion));
        Assert.Equal(entry with { Flow = 2.5, FlowVersion = version + 1 }, new LedgerEntry(total, register, newestMs, firstSeenMs, 2.5, version + 1));
        Assert.Null((entry with { Register = null, Flow = null }).Register);
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void Stored_state_of_the_record_it_replaced_reads_the_same_and_the_other_way_round(decimal total, decimal? register, long newestMs, long firstSeenMs, double? flow, long version)
    {
        var serializer = TestSerializer.Instance;
        var before = new Dictionary<string, LedgerEntryAsStoredBefore> { ["d1"] = new(total, register, newestMs, firstSeenMs, flow, version) };
        var now = new Dictionary<string, LedgerEntry> { ["d1"] = new(total, register, newestMs, firstSeenMs, flow, version) };

        var read = serializer.Deserialize<Dictionary<string, LedgerEntry>>(serializer.SerializeToArray(before));
        var readBack = serializer.Deserialize<Dictionary<string, LedgerEntryAsStoredBefore>>(serializer.SerializeToArray(now));

        Assert.Equal(now, read);
        Assert.Equal(before, readBack);
        Assert.Equal(serializer.SerializeToArray(before), serializer.SerializeToArray(now));
    }
}
