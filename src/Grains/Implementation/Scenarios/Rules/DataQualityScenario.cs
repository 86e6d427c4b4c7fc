using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Scenarios.Settings;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>
/// Data-quality league of districts: the clean share of each district's readings since start, every kind together:
/// accepted ÷ received, where received = accepted + rejected + duplicates + late.
/// </summary>
public sealed class DataQualityScenario(ShareSettings settings) : Scenario("data-quality", "Data-quality league of districts", "data")
{
    private readonly Dictionary<string, Dictionary<string, ReadingCounts>> _districts = new(StringComparer.Ordinal);

    public override bool Reads(string level, string kind) => level == LiveLevels.District;

    protected override void Apply(IndicatorUpdate update)
    {
        if (!_districts.TryGetValue(update.Key, out var kinds))
        {
            _districts[update.Key] = kinds = new Dictionary<string, ReadingCounts>(StringComparer.Ordinal);
        }

        kinds[update.Figures.Kind] = ReadingCounts.Of(update.Figures);
    }

    protected override string WaitingFor => "the first district counts";

    public override ScenarioReport Report(int maxRows)
    {
        var rows = new List<ScenarioRow>();
        foreach (var (district, kinds) in _districts)
        {
            var counts = ReadingCounts.Sum(kinds.Values);
            var share = counts.Received == 0 ? 100.0 : 100.0 * counts.Accepted / counts.Received;
            var status = counts.Received < settings.MinCount ? ScenarioStatus.Ok : ScenarioStatus.Below(share, settings.Warning, settings.Alarm);
            rows.Add(new ScenarioRow(district, share, status,
                $"{counts.Accepted} accepted of {counts.Received} received ({counts.Rejected} rejected, {counts.Duplicates} duplicates, {counts.Late} late)"));
        }

        var city = ReadingCounts.Sum(_districts.Values.SelectMany(k => k.Values));
        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["districts"] = rows.Count,
            ["received"] = city.Received,
            ["accepted"] = city.Accepted,
        };
        double? worst = rows.Count == 0 ? null : rows.Min(r => r.Value);
        return Build(maxRows, worst, "%", "clean share of the worst district", ScenarioStatus.Worst(rows.Select(r => r.Status)),
            $"accepted ÷ (accepted + rejected + duplicates + late) of each district since start, every kind; judged from {settings.MinCount} readings: " +
            $"warning below {Format(settings.Warning)} %, alarm below {Format(settings.Alarm)} %.",
            "%", rows, r => r.Value, figures);
    }
}
