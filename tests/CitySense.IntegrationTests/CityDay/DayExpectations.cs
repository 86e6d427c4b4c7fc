namespace CitySense.IntegrationTests.CityDay;

/// <summary>
/// The day's indicators computed from the published readings with plain rules, independently of the production code:
/// duplicates (same ts or seq as an earlier arrival) and late readings (more than the allowed lateness older than the
/// newest applied) are set aside; each device's remaining readings are put in event-time order and measured pairwise —
/// forward movement counts, a fall within 0.01 is jitter (the baseline stays), a fall a wrap explains (≤ 1000 after the
/// maximum 99999999.999) counts the wrapped volume, any other fall is a new baseline, as is the first reading and the
/// first one after an operator-recorded replacement — and each step is counted in the window of its later reading.
/// </summary>
public sealed class DayExpectations
{
    public DayExpectations(IReadOnlyList<DayReading> readings, long windowMs, long latenessMs)
    {
        var applied = new List<DayReading>();
        foreach (var device in readings.GroupBy(r => r.Device))
        {
            var seen = new List<DayReading>();
            long newest = long.MinValue;
            foreach (var r in device.OrderBy(r => r.Arrival))
            {
                if (seen.Any(s => s.TimestampMs == r.TimestampMs || s.Seq == r.Seq))
                {
                    Count(Duplicates, r);
                    continue;
                }

                seen.Add(r);
                if (newest != long.MinValue && r.TimestampMs < newest - latenessMs)
                {
                    Count(Late, r);
                    continue;
                }

                newest = Math.Max(newest, r.TimestampMs);
                applied.Add(r);
            }

            decimal? baseline = null;
            foreach (var r in applied.Where(a => a.Device == device.Key).OrderBy(a => a.TimestampMs))
            {
                var delta = 0m;
                if (r.Register is { } value)
                {
                    if (baseline is not { } b || r.ReplacementRecordedBefore)
                    {
                        baseline = value;
                    }
                    else if (value >= b)
                    {
                        delta = value - b;
                        baseline = value;
                    }
                    else if (b - value <= 0.01m)
                    {
                        // jitter: the baseline stays
                    }
                    else if (100_000_000.000m - b + value <= 1000m)
                    {
                        delta = 100_000_000.000m - b + value;
                        baseline = value;
                    }
                    else
                    {
                        baseline = value;
                    }
                }

                var window = r.TimestampMs / windowMs * windowMs;
                foreach (var area in AreasOf(r))
                {
                    var key = (area, r.Kind, window);
                    var w = Windows.TryGetValue(key, out var existing) ? existing : Windows[key] = new Figures();
                    w.Consumption += delta;
                    w.Accepted++;
                    w.Devices.Add(r.Device);
                    Totals[(area, r.Kind)] = Totals.GetValueOrDefault((area, r.Kind)) + delta;
                    Accepted[(area, r.Kind)] = Accepted.GetValueOrDefault((area, r.Kind)) + 1;
                }
            }

            if (applied.Where(a => a.Device == device.Key).OrderBy(a => a.TimestampMs).ThenBy(a => a.Arrival).LastOrDefault() is { Flow: { } flow } last)
            {
                foreach (var area in AreasOf(last))
                {
                    FlowSums[(area, last.Kind)] = FlowSums.GetValueOrDefault((area, last.Kind)) + flow;
                }
            }
        }
    }

    public Dictionary<(string Area, string Kind, long Window), Figures> Windows { get; } = [];

    public Dictionary<(string Area, string Kind), decimal> Totals { get; } = [];

    public Dictionary<(string Area, string Kind), long> Accepted { get; } = [];

    public Dictionary<(string Area, string Kind), long> Duplicates { get; } = [];

    public Dictionary<(string Area, string Kind), long> Late { get; } = [];

    public Dictionary<(string Area, string Kind), double> FlowSums { get; } = [];

    public static IEnumerable<string> AreasOf(DayReading r) => [$"{r.District}/{r.Community}", r.District, "city"];

    private static void Count(Dictionary<(string, string), long> counts, DayReading r)
    {
        foreach (var area in AreasOf(r))
        {
            counts[(area, r.Kind)] = counts.GetValueOrDefault((area, r.Kind)) + 1;
        }
    }

    public sealed class Figures
    {
        public decimal Consumption { get; set; }
        public long Accepted { get; set; }
        public HashSet<string> Devices { get; } = [];
    }
}
