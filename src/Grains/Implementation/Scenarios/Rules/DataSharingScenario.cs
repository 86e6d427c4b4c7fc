using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Scenarios.Settings;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>
/// Data-sharing availability: of the requests the city's API nodes were asked since they started, the share they
/// answered (status below 500, not 429). Each node hands its counts with its scenario calls; a node's newest counts count.
/// </summary>
public sealed class DataSharingScenario(ShareSettings settings) : Scenario("data-sharing", "Data-sharing availability", "data")
{
    private readonly Dictionary<string, ApiTraffic> _nodes = new(StringComparer.Ordinal);

    protected override void Apply(ApiTraffic traffic)
    {
        // Counts only grow while a node lives; a smaller count is the node restarted under the same name.
        _nodes[traffic.Node] = traffic;
    }

    protected override string WaitingFor => "the first API requests";

    public override ScenarioReport Report(int maxRows)
    {
        var asked = _nodes.Values.Sum(n => n.Asked);
        var answered = _nodes.Values.Sum(n => n.Answered);
        double? availability = asked == 0 ? null : 100.0 * answered / asked;
        var rows = _nodes.Values.Select(n =>
        {
            var share = n.Asked == 0 ? 100.0 : 100.0 * n.Answered / n.Asked;
            return new ScenarioRow(n.Node, share, n.Asked < settings.MinCount ? ScenarioStatus.Ok : ScenarioStatus.Below(share, settings.Warning, settings.Alarm),
                $"{n.Answered} answered of {n.Asked} asked");
        }).ToList();
        var status = availability is { } a && asked >= settings.MinCount ? ScenarioStatus.Below(a, settings.Warning, settings.Alarm) : ScenarioStatus.Ok;
        var figures = new Dictionary<string, double>(StringComparer.Ordinal) { ["asked"] = asked, ["answered"] = answered, ["nodes"] = _nodes.Count };
        return Build(maxRows, availability, "%", "API requests answered", status,
            $"Requests to /api answered (status below 500, not 429) ÷ asked, since each API node started; judged from {settings.MinCount} requests: " +
            $"warning below {Format(settings.Warning)} %, alarm below {Format(settings.Alarm)} %.",
            "%", rows, r => r.Value, figures);
    }
}
