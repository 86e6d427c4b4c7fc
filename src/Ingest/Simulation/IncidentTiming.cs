namespace CitySense.Ingest.Simulation;

/// <summary>When the demo's incidents happen, as time since it started.</summary>
/// <param name="First">The first incident starts then: late enough for every water meter to have a burst baseline.</param>
/// <param name="Every">A new incident starts this often; the kinds follow each other in <see cref="IncidentKind"/> order, then again.</param>
/// <param name="Lasts">How long an incident lasts...</param>
/// <param name="LeakLasts">...a leak: longer than the continuous flow that raises the leak alarm.</param>
/// <param name="BurstLasts">...a burst: shorter than the continuous flow that would make it a leak as well.</param>
/// <param name="OfflineLasts">...an offline community: longer than the silence after which a device is offline, plus a check.</param>
public sealed record IncidentTiming(TimeSpan First, TimeSpan Every, TimeSpan Lasts, TimeSpan LeakLasts, TimeSpan BurstLasts, TimeSpan OfflineLasts)
{
    public TimeSpan LastsFor(IncidentKind kind) => kind switch
    {
        IncidentKind.NightLeak => LeakLasts,
        IncidentKind.Burst => BurstLasts,
        IncidentKind.CommunityOffline => OfflineLasts,
        _ => Lasts,
    };

    public TimeSpan Longest => new[] { Lasts, LeakLasts, BurstLasts, OfflineLasts }.Max();
}
