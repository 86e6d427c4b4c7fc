using CitySense.Contracts.Telemetry;

namespace CitySense.Ingest.Decoding;

/// <summary>
/// One <see cref="DeviceAddress"/> per device, found from spans without allocating once the device is known.
/// A device that shows up under a different district, community or kind gets a fresh (uncached) address;
/// its device grain then decides whether the reading is accepted.
/// </summary>
public sealed class AddressBook
{
    private readonly StringInterner _ids;
    private readonly AddressTable _byDevice = new();
    private readonly int _capacity;

    public AddressBook(StringInterner ids, int capacity = 4_000_000)
    {
        _ids = ids;
        _capacity = capacity;
    }

    public StringInterner Ids => _ids;

    public int Count => _byDevice.Count;

    public DeviceAddress Resolve(ReadOnlySpan<char> district, ReadOnlySpan<char> community, ReadOnlySpan<char> kind, ReadOnlySpan<char> device)
    {
        var known = _byDevice.Find(device);
        if (known is not null
            && known.District.AsSpan().SequenceEqual(district)
            && known.Community.AsSpan().SequenceEqual(community)
            && known.Kind.AsSpan().SequenceEqual(kind))
        {
            return known;
        }

        // Area and kind names and community keys are few and shared: interned. A device id is kept once, by its address
        // here (a second copy in the interner cost a million devices about 60 MB, a key per address about 40 MB).
        var districtId = _ids.Intern(district);
        var communityId = _ids.Intern(community);
        var created = new DeviceAddress(districtId, communityId, _ids.Intern(kind), known?.Device ?? device.ToString(),
            _ids.Intern(AreaKeys.Community(districtId, communityId)));
        if (known is null && _byDevice.Count < _capacity)
        {
            return _byDevice.GetOrAdd(created);
        }

        return created;
    }
}
