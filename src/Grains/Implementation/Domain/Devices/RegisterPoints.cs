namespace CitySense.Grains.Domain.Devices;

/// <summary>
/// The points of a register track, oldest first, in an array of their own: a <c>List&lt;RegisterPoint&gt;</c> cost every
/// metered device a 32-byte list object on top of the array (27 MB at a million devices, RESULTS.md §26). A mutable
/// struct held in one field of its track; points hold no references, so removed slots need no clearing.
/// </summary>
internal struct RegisterPoints(int capacity)
{
    private RegisterPoint[] _items = new RegisterPoint[capacity];

    public int Count { get; private set; }

    public readonly int Capacity => _items.Length;

    public RegisterPoint this[int index]
    {
        readonly get => _items[Checked(index)];
        set => _items[Checked(index)] = value;
    }

    public void Add(RegisterPoint point) => Insert(Count, point);

    public void Insert(int index, RegisterPoint point)
    {
        if ((uint)index > (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        if (Count == _items.Length)
        {
            Array.Resize(ref _items, Math.Max(2, _items.Length * 2));
        }

        Array.Copy(_items, index, _items, index + 1, Count - index);
        _items[index] = point;
        Count++;
    }

    public void RemoveAt(int index) => RemoveRange(index, 1);

    public void RemoveRange(int index, int count)
    {
        if (index < 0 || count < 0 || index + count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        Array.Copy(_items, index + count, _items, index, Count - index - count);
        Count -= count;
    }

    public void Clear() => Count = 0;

    /// <summary>Gives back capacity beyond <paramref name="max"/> (never below what is held).</summary>
    public void TrimCapacity(int max)
    {
        if (_items.Length > max)
        {
            Array.Resize(ref _items, Math.Max(max, Count));
        }
    }

    private readonly int Checked(int index) => (uint)index < (uint)Count ? index : throw new ArgumentOutOfRangeException(nameof(index));
}
