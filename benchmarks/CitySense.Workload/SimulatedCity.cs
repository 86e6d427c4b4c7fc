namespace CitySense.Workload;

/// <summary>
/// A deterministic city: devices spread round-robin over communities and kinds, communities spread over districts,
/// ids shaped like the built-in simulator's (district-1, c1-01, water-c1-01-0001).
/// </summary>
public sealed class SimulatedCity
{
    /// <summary>The kinds of docs/telemetry.md: three metered kinds and four community device kinds.</summary>
    public static readonly string[] AllKinds = ["water", "heat", "gas", "env", "smoke", "gasleak", "manhole"];

    /// <summary>
    /// A city's mix, one entry per percent: water 40 %, heat 25 %, gas 20 % and community sensors 15 % (env 6, smoke 4,
    /// gasleak 3, manhole 2). Devices take kinds round-robin within their community, so every community of 100 devices
    /// holds exactly this mix.
    /// </summary>
    public static readonly string[] CityKinds = Mix(("water", 40), ("heat", 25), ("gas", 20), ("env", 6), ("smoke", 4), ("gasleak", 3), ("manhole", 2));

    private SimulatedCity(IReadOnlyList<CityDevice> devices, IReadOnlyList<CityCommunity> communities)
    {
        Devices = devices;
        Communities = communities;
    }

    public IReadOnlyList<CityDevice> Devices { get; }

    public IReadOnlyList<CityCommunity> Communities { get; }

    /// <param name="communities">Communities in the whole city (at least one per district).</param>
    public static SimulatedCity Build(int devices, int districts, int communities, IReadOnlyList<string> kinds, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(devices, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(districts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kinds.Count, 1);
        communities = Math.Max(communities, districts);

        var random = new Random(seed);
        var places = new (string District, string Community)[communities];
        for (var c = 0; c < communities; c++)
        {
            var d = c % districts + 1;
            // District number in the community id keeps community ids unique city-wide, and so the device ids built from them.
            places[c] = ($"district-{d}", $"c{d}-{c / districts + 1:00}");
        }

        var perCommunity = new List<CityDevice>[communities];
        for (var c = 0; c < communities; c++)
        {
            perCommunity[c] = [];
        }

        var all = new CityDevice[devices];
        for (var i = 0; i < devices; i++)
        {
            var c = i % communities;
            var kind = kinds[i / communities % kinds.Count];
            var (district, community) = places[c];
            var device = new CityDevice(district, community, kind, $"{kind}-{community}-{i / communities + 1:0000}")
            {
                Register = random.Next(100, 50_000) + Math.Round(random.NextDouble(), 3),
            };
            all[i] = device;
            perCommunity[c].Add(device);
        }

        var list = new CityCommunity[communities];
        for (var c = 0; c < communities; c++)
        {
            list[c] = new CityCommunity(places[c].District, places[c].Community, perCommunity[c]);
        }

        return new SimulatedCity(all, list);
    }

    /// <summary>
    /// Rounds of a publish loop over its share (communities with <paramref name="gatewaySize"/>, each message the next
    /// gatewaySize devices of its community; devices one reading each without) after which every device of the share has
    /// sent at least one reading: the largest community's devices over the gateway size, rounded up.
    /// </summary>
    public int RoundsToReachEveryDevice(int? gatewaySize)
    {
        if (gatewaySize is not { } size)
        {
            return 1;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var largest = Communities.Max(c => c.Devices.Count);
        return Math.Max(1, (largest + size - 1) / size);
    }

    /// <summary>
    /// Moves every register forward by <see cref="RegisterHeadStart"/> and every seq to <see cref="SeqHeadStart"/> at
    /// <paramref name="now"/>, so a generator started again against the same silo never runs a meter backwards nor makes
    /// it jump (CitySense holds a fall, or a step far above the meter's usual rate, as a suspect reading, docs/history.md)
    /// nor repeats a seq: CitySense takes a seq it saw among a device's recent readings as a duplicate, whatever its
    /// timestamp, and a run that started its seqs at 1 again had every reading of its first seconds counted as applied but
    /// dropped as duplicates (the NGSI-LD subscriptions benchmark delivered 305 of ~200 000 changes: RESULTS.md §21).
    /// </summary>
    public void StartCountersAt(DateTimeOffset now)
    {
        var seq = SeqHeadStart(now);
        foreach (var device in Devices)
        {
            device.Register = Math.Round(device.Register + RegisterHeadStart(device.Kind, now), 3);
            device.Seq = seq;
            device.LastTimestampMs = now.ToUnixTimeMilliseconds();
        }
    }

    /// <summary>
    /// Milliseconds since 2026-12-01: a restarted run's seqs start past the previous run's unless that one offered more
    /// than 1 000 readings per device per second.
    /// </summary>
    public static ulong SeqHeadStart(DateTimeOffset now) =>
        (ulong)Math.Max(0, (now - Epoch).TotalMilliseconds);

    /// <summary>
    /// What a register of this kind gains from 2026-12-01 to <paramref name="now"/> at the kind's highest flow (what
    /// <see cref="ReadingWriter"/> writes at most): a run advances a register by
    /// its flows over the run's time, never more, so a run started again starts at or past where the previous one ended,
    /// and the step between them is at most the kind's highest rate over the pause: not a spike.
    /// </summary>
    public static double RegisterHeadStart(string kind, DateTimeOffset now) =>
        Math.Floor(Math.Max(0, (now - Epoch).TotalHours) * HighestRatePerHour(kind) * 1000) / 1000;

    public static double HighestRatePerHour(string kind) => kind switch
    {
        "water" => ReadingWriter.MaxWaterFlow,
        "heat" => ReadingWriter.MaxHeatPower,
        "gas" => ReadingWriter.MaxGasFlow,
        _ => 0,
    };

    private static readonly DateTimeOffset Epoch = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Parses "water,heat,gas,env", "all" (the seven kinds in equal shares) or "city" (<see cref="CityKinds"/>); kinds
    /// are ids of the telemetry contract.
    /// </summary>
    public static string[] ParseKinds(string value) => value.ToLowerInvariant() switch
    {
        "all" => AllKinds,
        "city" => CityKinds,
        _ => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    };

    private static string[] Mix(params (string Kind, int Percent)[] shares) =>
        shares.SelectMany(s => Enumerable.Repeat(s.Kind, s.Percent)).ToArray();
}
