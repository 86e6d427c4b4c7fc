namespace CitySense.Grains.State;

/// <summary>
/// What an area last counted of one source: its consumption total and, with it, its flow (a device: its latest flow; a
/// community: its sum of latest flows). For a device also the register baseline, newest event time and first sight that
/// go with that total, so a restored device grain carries on from a consistent point. A value kept in the ledger's
/// dictionary and updated in place: a community holds one per device and changes it every reading.
/// </summary>
/// <remarks>
/// The register and the flow are kept as doubles, NaN for none: 56 bytes an entry where the nullable decimal and double
/// took 80 (24 MB at a million devices, benchmarks/RESULTS.md §57). A register value enters as a reading's number, a
/// double converted to decimal (at most 15 significant digits), so it reads back as the same decimal (the register
/// points' rule); one that would not (edited storage) is taken to its nearest 15 digits. The members, their ids and types are those of the record it was, so stored state reads the same.
/// </remarks>
[GenerateSerializer, Immutable]
public record struct LedgerEntry
{
    // Not members of their own: the properties below carry them, as decimal? and double? (the record's shape). Kept as
    // a double's bits XORed with NaN's, so that all-zero bits (a default entry) read as none, as the record's nulls did.
    [NonSerialized]
    private long _register;
    [NonSerialized]
    private long _flow;

    public LedgerEntry(decimal total, decimal? register, long newestMs, long firstSeenMs, double? flow = null, long flowVersion = 0)
    {
        Total = total;
        Register = register;
        NewestMs = newestMs;
        FirstSeenMs = firstSeenMs;
        Flow = flow;
        FlowVersion = flowVersion;
    }

    [Id(0)]
    public decimal Total { get; init; }

    [Id(1)]
    public decimal? Register
    {
        readonly get => Decode(_register) is var v && double.IsNaN(v) ? null : (decimal)v;
        set => _register = Encode(value is { } v ? (double)v : double.NaN);
    }

    [Id(2)]
    public long NewestMs { get; init; }

    [Id(3)]
    public long FirstSeenMs { get; init; }

    /// <summary>Null for none (a NaN flow, which no reading can carry, reads back as none).</summary>
    [Id(4)]
    public double? Flow
    {
        readonly get => Decode(_flow) is var v && double.IsNaN(v) ? null : v;
        set => _flow = Encode(value ?? double.NaN);
    }

    [Id(5)]
    public long FlowVersion { get; init; }

    private static readonly long NoneBits = BitConverter.DoubleToInt64Bits(double.NaN);

    private static long Encode(double value) => double.IsNaN(value) ? 0 : BitConverter.DoubleToInt64Bits(value) ^ NoneBits;

    private static double Decode(long bits) => BitConverter.Int64BitsToDouble(bits ^ NoneBits);
}
