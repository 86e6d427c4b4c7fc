using CitySense.Ingest.Decoding;

namespace CitySense.UnitTests.Decoding;

public sealed class AddressBookTests
{
    [Fact]
    public void A_known_device_resolves_to_the_same_address()
    {
        var book = new AddressBook(new StringInterner());

        var first = book.Resolve("north", "c1", "water", "w1");
        var second = book.Resolve("north", "c1", "water", "w1");

        Assert.Same(first, second);
        Assert.Equal(("north", "c1", "water", "w1", "north/c1"), (first.District, first.Community, first.Kind, first.Device, first.CommunityKey));
        Assert.Equal(1, book.Count);
    }

    [Fact]
    public void A_device_showing_up_elsewhere_gets_a_fresh_address_and_the_first_one_stays_registered()
    {
        var book = new AddressBook(new StringInterner());
        var home = book.Resolve("north", "c1", "water", "w1");

        var elsewhere = book.Resolve("north", "c2", "water", "w1");
        var otherKind = book.Resolve("north", "c1", "gas", "w1");

        Assert.Equal("c2", elsewhere.Community);
        Assert.Equal("gas", otherKind.Kind);
        Assert.NotSame(elsewhere, book.Resolve("north", "c2", "water", "w1"));
        Assert.Same(home, book.Resolve("north", "c1", "water", "w1"));
        Assert.Equal(1, book.Count);
    }

    [Fact]
    public void Past_its_capacity_new_devices_get_addresses_that_are_not_kept()
    {
        var book = new AddressBook(new StringInterner(), capacity: 1);
        book.Resolve("north", "c1", "water", "w1");

        var first = book.Resolve("north", "c1", "water", "w2");
        var second = book.Resolve("north", "c1", "water", "w2");

        Assert.Equal("w2", first.Device);
        Assert.NotSame(first, second);
        Assert.Equal(1, book.Count);
    }

    [Fact]
    public void Addresses_use_interned_ids()
    {
        var ids = new StringInterner();
        var book = new AddressBook(ids);

        var address = book.Resolve("north", "c1", "water", "w1");

        Assert.Same(ids.Intern("north"), address.District);
        Assert.Same(ids.Intern("water"), address.Kind);
    }

    [Fact]
    public void A_device_id_is_kept_once_by_its_address_not_by_the_interner()
    {
        var ids = new StringInterner();
        var book = new AddressBook(ids);

        var home = book.Resolve("north", "c1", "water", "w1");
        Assert.Equal(4, ids.Count); // north, c1, water, north/c1: not w1
        var elsewhere = book.Resolve("north", "c2", "water", "w1");
        var neighbour = book.Resolve("north", "c1", "water", "w2");

        Assert.Equal(6, ids.Count); // and c2, north/c2
        Assert.Same(home.Device, elsewhere.Device);
        Assert.Same(home.CommunityKey, neighbour.CommunityKey);
        Assert.Equal("north/c1", neighbour.CommunityKey);
    }

    [Fact]
    public void Threads_resolving_the_same_devices_while_the_book_grows_all_get_the_one_kept_address()
    {
        // 20 000 devices: the table grows from 1 024 slots several times while four threads resolve them in different
        // orders, so lock-free reads race both inserts and resizes.
        var book = new AddressBook(new StringInterner());
        var ids = Enumerable.Range(0, 20_000).Select(i => $"w-{i}").ToArray();
        var seen = new DeviceAddressArray[4];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            var mine = seen[t] = new DeviceAddressArray(ids.Length);
            for (var n = 0; n < ids.Length; n++)
            {
                var i = t % 2 == 0 ? n : ids.Length - 1 - n;
                mine.Addresses[i] = book.Resolve("north", "c1", "water", ids[i]);
            }
        });

        Assert.Equal(ids.Length, book.Count);
        for (var i = 0; i < ids.Length; i++)
        {
            var kept = book.Resolve("north", "c1", "water", ids[i]);
            Assert.Equal(ids[i], kept.Device);
            Assert.All(seen, s => Assert.Same(kept, s.Addresses[i]));
        }
    }

    private sealed class DeviceAddressArray(int length)
    {
        public CitySense.Contracts.Telemetry.DeviceAddress[] Addresses { get; } = new CitySense.Contracts.Telemetry.DeviceAddress[length];
    }
}
