using CitySense.Benchmarks.Infrastructure;
using CitySense.Contracts.Indicators;
using CitySense.Grains.Domain.Areas;
using CitySense.Workload;

namespace CitySense.Benchmarks.LineProtocol;

/// <summary>Points built from the real domain: readings decoded and folded into community aggregates.</summary>
public static class LinePoints
{
    public const int PointsPerInvoke = 1000;

    /// <summary>Windows per kind in the community aggregate the flush benchmark writes.</summary>
    public const int AreaWindowsPerKind = 15;

    /// <summary>Every kind of <see cref="SimulatedCity.AllKinds"/> is present in each community.</summary>
    public const int AreaKinds = 7;

    // Three readings per device per one-minute window.
    private const long StepMs = 20_000;
    private const int Rounds = AreaWindowsPerKind * 3;

    public static RawPoint[] Raw(SimulatedCity city, int count)
    {
        var rounds = ReadingSets.Rounds(city, 1 + count / city.Devices.Count, StepMs);
        return rounds.SelectMany(r => r)
            .Select(r => new RawPoint(r.Address, r.Reading.TimestampMs, r.Reading.Metrics))
            .Take(count)
            .ToArray();
    }

    public static WindowPoint[] Windows(SimulatedCity city, int count)
    {
        var options = new IndicatorOptions();
        var updates = ReadingSets.Updates(ReadingSets.Rounds(city, Rounds, StepMs), options);
        var points = new List<WindowPoint>();
        foreach (var community in city.Communities)
        {
            var area = Fold(community, updates, options);
            foreach (var kind in area.Kinds)
            {
                foreach (var w in kind.Windows)
                {
                    points.Add(new WindowPoint(community.District, community.Id, kind.Kind, w.StartMs, w.Accepted, w.Rejected, w.DevicesReporting, w.DevicesTotal, w.Duplicates, w.Late,
                        kind.HasRegister, w.Consumption, w.ConsumptionTotal, w.FlowSum,
                        w.Metrics.Select(m => new WindowMetric(m.Key, m.Value.Count, m.Value.Min, m.Value.Max, m.Value.Mean, m.Value.Latest)).ToArray()));
                }
            }
        }

        if (points.Count < count)
        {
            throw new InvalidOperationException($"Only {points.Count} window points, {count} wanted.");
        }

        return points.Take(count).ToArray();
    }

    /// <summary>The first community's aggregate with <see cref="AreaWindowsPerKind"/> windows per kind, and its tags.</summary>
    public static (AreaAggregate Area, KeyValuePair<string, string>[] Tags) CommunityAggregate(SimulatedCity city, IndicatorOptions options)
    {
        var updates = ReadingSets.Updates(ReadingSets.Rounds(city, Rounds, StepMs), options);
        var community = city.Communities[0];
        return (Fold(community, updates, options), [new("district", community.District), new("community", community.Id)]);
    }

    private static AreaAggregate Fold(CityCommunity community, DeviceUpdate[][] rounds, IndicatorOptions options)
    {
        var devices = community.Devices.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var area = new AreaAggregate(options);
        foreach (var round in rounds)
        {
            area.Apply(new IndicatorBatch(round.Where(u => devices.Contains(u.Device)).ToArray(), []));
        }

        return area;
    }
}
