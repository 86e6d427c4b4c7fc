using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Scenarios.Settings;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>
/// Device health by community: readings rejected since start (malformed, unknown, registered elsewhere, out of
/// range...), every kind together, and their share of what the community's devices sent.
/// </summary>
public sealed class RejectionsScenario(ShareSettings settings) : Scenario("rejections", "Device health: rejections by community", "devices")
{
    private readonly Dictionary<string, Dictionary<string, ReadingCounts>> _communities = new(StringComparer.Ordinal);

    public override bool Reads(string level, string kind) => level == LiveLevels.Community;

    protected override void Apply(IndicatorUpdate update)
    {
        if (!_communities.TryGetValue(update.Key, out var kinds))
        {
            _communities[update.Key] = kinds = new Dictionary<string, ReadingCounts>(StringComparer.Ordinal);
        }

        kinds[update.Figures.Kind] = ReadingCounts.Of(update.Figures);
    }

    public override ScenarioReport Report(int maxRows)
    {
        var rows = new List<ScenarioRow>();
        foreach (var (community, kinds) in _communities)
        {
            var counts = ReadingCounts.Sum(kinds.Values);
            if (counts.Rejected == 0)
            {
                continue;
            }

            var share = 100.0 * counts.Rejected / counts.Received;
            var status = counts.Received < settings.MinCount ? ScenarioStatus.Ok : ScenarioStatus.AtOrAbove(share, settings.Warning, settings.Alarm);
            rows.Add(new ScenarioRow(community, counts.Rejected, status, $"{Format(share)} % of {counts.Received} received"));
        }

        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["communities"] = _communities.Count,
            ["communitiesRejecting"] = rows.Count,
            ["received"] = _communities.Values.Sum(k => ReadingCounts.Sum(k.Values).Received),
        };
        return Build(maxRows, rows.Sum(r => r.Value), "readings", "readings rejected", ScenarioStatus.Worst(rows.Select(r => r.Status)),
            $"Readings rejected since start per community, every kind; judged from {settings.MinCount} readings received: " +
            $"warning from {Format(settings.Warning)} % rejected, alarm from {Format(settings.Alarm)} %.",
            "readings", rows, r => -r.Value, figures);
    }
}
