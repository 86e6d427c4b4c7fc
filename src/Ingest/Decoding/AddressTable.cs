using CitySense.Contracts.Telemetry;

namespace CitySense.Ingest.Decoding;

/// <summary>
/// Device addresses by device id, for <see cref="AddressBook"/>: open addressing with linear probing over an array of
/// the addresses themselves (the id is the address's own <see cref="DeviceAddress.Device"/>), found from a span. About
/// 14 bytes a device against 59 for a ConcurrentDictionary's node and bucket: 45 MB at a million devices.
/// Entries are never removed, so reads take no lock: a slot once set never changes, and a reader that raced a resize
/// (and missed an entry in the old array) falls back to <see cref="GetOrAdd"/>, which looks again under the lock.
/// </summary>
internal sealed class AddressTable
{
    private readonly Lock _gate = new();
    private DeviceAddress?[] _slots = new DeviceAddress?[1024];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public DeviceAddress? Find(ReadOnlySpan<char> device) => Find(Volatile.Read(ref _slots), device);

    /// <summary>The address kept for its device, adding this one when there is none.</summary>
    public DeviceAddress GetOrAdd(DeviceAddress address)
    {
        lock (_gate)
        {
            if (Find(_slots, address.Device) is { } known)
            {
                return known;
            }

            // At most three quarters full, so a miss ends at an empty slot soon.
            if ((_count + 1) * 4L > _slots.Length * 3L)
            {
                var grown = new DeviceAddress?[_slots.Length * 2];
                foreach (var kept in _slots)
                {
                    if (kept is not null)
                    {
                        Insert(grown, kept);
                    }
                }

                Volatile.Write(ref _slots, grown);
            }

            Insert(_slots, address);
            Volatile.Write(ref _count, _count + 1);
            return address;
        }
    }

    private static DeviceAddress? Find(DeviceAddress?[] slots, ReadOnlySpan<char> device)
    {
        var mask = slots.Length - 1;
        for (var i = string.GetHashCode(device) & mask; ; i = (i + 1) & mask)
        {
            var address = Volatile.Read(ref slots[i]);
            if (address is null || address.Device.AsSpan().SequenceEqual(device))
            {
                return address;
            }
        }
    }

    private static void Insert(DeviceAddress?[] slots, DeviceAddress address)
    {
        var mask = slots.Length - 1;
        var i = string.GetHashCode(address.Device.AsSpan()) & mask;
        while (slots[i] is not null)
        {
            i = (i + 1) & mask;
        }

        // Published whole: a reader that sees the reference sees the address's fields.
        Volatile.Write(ref slots[i], address);
    }
}
