namespace CitySense.Ingest.Simulation;

/// <summary>
/// One scheduled incident: what, where, and when, as time since the demo started. <paramref name="Devices"/> are the
/// devices it changes; empty means the whole community (it goes offline).
/// </summary>
public sealed record Incident(long Number, IncidentKind Kind, string District, string Community, IReadOnlyList<string> Devices, TimeSpan Start, TimeSpan End)
{
    public bool IsActiveAt(TimeSpan elapsed) => elapsed >= Start && elapsed < End;

    /// <summary>Whether the incident changes what this device publishes (or, offline, whether it publishes at all).</summary>
    public bool Affects(string district, string community, string device) =>
        District == district && Community == community && (Devices.Count == 0 || Devices.Contains(device, StringComparer.Ordinal));
}
