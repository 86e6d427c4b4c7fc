namespace CitySense.Contracts.History;

/// <summary>The instant a local wall time of the city names: shared by the history calendar and the API's local dates.</summary>
public static class LocalInstants
{
    /// <summary>
    /// In a gap (clocks jumped over it) the first valid local time after it, in 15-minute steps; when ambiguous (clocks
    /// went back) its first occurrence.
    /// </summary>
    public static DateTimeOffset Of(TimeZoneInfo zone, DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(local, zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local));
    }
}
