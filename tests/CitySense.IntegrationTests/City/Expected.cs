namespace CitySense.IntegrationTests.City;

/// <summary>
/// Indicators computed from the test city's readings with plain arithmetic, independently of the production code:
/// consumption is the sum of forward register movements per device in event-time order (a register that goes down is
/// a new baseline), attributed to the window of the later reading.
/// </summary>
public sealed class Expected
{
    public Expected(IEnumerable<TestReading> readings)
    {
        foreach (var device in readings.GroupBy(r => r.Device))
        {
            decimal? previous = null;
            foreach (var r in device.OrderBy(r => r.TimestampMs))
            {
                var delta = previous is { } p && r.Register is { } now && now > p ? now - p : 0m;
                previous = r.Register ?? previous;
                var window = r.TimestampMs / TestCity.WindowMs * TestCity.WindowMs;
                foreach (var area in AreasOf(r))
                {
                    var key = (area, r.Kind, window);
                    var w = Windows.TryGetValue(key, out var existing) ? existing : new WindowFigures();
                    Windows[key] = w with
                    {
                        Consumption = w.Consumption + delta,
                        Accepted = w.Accepted + 1,
                        Devices = w.Devices.Add(r.Device),
                        TemperatureMax = r.Kind == "env" ? Math.Max(w.TemperatureMax, r.Temperature) : w.TemperatureMax,
                    };
                    Totals[(area, r.Kind)] = Totals.GetValueOrDefault((area, r.Kind)) + delta;
                }
            }

            var last = device.OrderBy(r => r.TimestampMs).Last();
            if (last.Kind != "env")
            {
                foreach (var area in AreasOf(last))
                {
                    FlowSums[(area, last.Kind)] = FlowSums.GetValueOrDefault((area, last.Kind)) + last.Flow;
                }
            }
        }
    }

    /// <summary>Key: (area, kind, window start ms). Area is "district/community", "district" or "city".</summary>
    public Dictionary<(string Area, string Kind, long Window), WindowFigures> Windows { get; } = [];

    public Dictionary<(string Area, string Kind), decimal> Totals { get; } = [];

    public Dictionary<(string Area, string Kind), double> FlowSums { get; } = [];

    public static IEnumerable<string> AreasOf(TestReading r) => [$"{r.District}/{r.Community}", r.District, "city"];

    public sealed record WindowFigures
    {
        public decimal Consumption { get; init; }
        public long Accepted { get; init; }
        public System.Collections.Immutable.ImmutableHashSet<string> Devices { get; init; } = System.Collections.Immutable.ImmutableHashSet<string>.Empty;
        public double TemperatureMax { get; init; } = double.NegativeInfinity;
    }
}
