namespace CitySense.Ingest.Simulation;

/// <summary>
/// The demo's incidents (issue 18: a newcomer sees alarms raised, acknowledged and cleared in the first minutes): a new
/// one every <see cref="IncidentTiming.Every"/>, the kinds in turn, each in another community of the simulated city.
/// Pure: the same time since the start always gives the same incidents.
/// </summary>
public sealed class IncidentSchedule
{
    /// <summary>Meters of a community that leak: a few, so the alarm list shows the leak without drowning in it.</summary>
    public const int LeakingMeters = 3;

    private static readonly IncidentKind[] Kinds = Enum.GetValues<IncidentKind>();

    private readonly IReadOnlyList<(string District, string Community)> _communities;
    private readonly int _waterMeters;
    private readonly IncidentTiming _timing;

    /// <param name="communities">The simulated city's communities, in a fixed order.</param>
    /// <param name="waterMetersPerCommunity">Water meters per community (the burst takes the last, which reports on its own, not through the gateway).</param>
    public IncidentSchedule(IReadOnlyList<(string District, string Community)> communities, int waterMetersPerCommunity, IncidentTiming timing)
    {
        ArgumentOutOfRangeException.ThrowIfZero(communities.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(waterMetersPerCommunity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timing.Every, TimeSpan.Zero);
        _communities = communities;
        _waterMeters = waterMetersPerCommunity;
        _timing = timing;
    }

    /// <summary>The <paramref name="number"/>-th incident (from 0).</summary>
    public Incident Nth(long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        var kind = Kinds[number % Kinds.Length];
        // Shifted by one community per round of kinds, so over time every kind happens in every community.
        var (district, community) = _communities[(int)((number + (number / Kinds.Length)) % _communities.Count)];
        var start = _timing.First + (_timing.Every * number);
        return new Incident(number, kind, district, community, DevicesOf(kind, community), start, start + _timing.LastsFor(kind));
    }

    /// <summary>The incidents under way <paramref name="elapsed"/> after the demo started, oldest first.</summary>
    public IReadOnlyList<Incident> ActiveAt(TimeSpan elapsed)
    {
        if (elapsed < _timing.First)
        {
            return [];
        }

        var newest = (long)((elapsed - _timing.First) / _timing.Every);
        var oldest = Math.Max(0, newest - (long)Math.Ceiling(_timing.Longest / _timing.Every));
        var active = new List<Incident>();
        for (var n = oldest; n <= newest; n++)
        {
            var incident = Nth(n);
            if (incident.IsActiveAt(elapsed))
            {
                active.Add(incident);
            }
        }

        return active;
    }

    private string[] DevicesOf(IncidentKind kind, string community) => kind switch
    {
        IncidentKind.NightLeak => Enumerable.Range(1, Math.Min(LeakingMeters, _waterMeters)).Select(i => SimulatedNames.Water(community, i)).ToArray(),
        IncidentKind.Burst => [SimulatedNames.Water(community, _waterMeters)],
        IncidentKind.GasLeak => [SimulatedNames.Sensor("gasleak", community, 1)],
        IncidentKind.Smoke => [SimulatedNames.Sensor("smoke", community, 1)],
        IncidentKind.HeatDeltaTDrop => [SimulatedNames.Heat(community, 1)],
        IncidentKind.AirPollution => [SimulatedNames.Sensor("env", community, 1), SimulatedNames.Sensor("env", community, 2)],
        _ => [],
    };
}
