namespace CitySense.Contracts.Scenarios;

/// <summary>
/// A scenario's status as a screen tile shows it: strings, not an enum, so that the list's JSON is the same words
/// the documentation uses (docs/scenarios.md) whatever the serializer's enum settings.
/// </summary>
public static class ScenarioStatus
{
    public const string Ok = "ok";
    public const string Warning = "warning";
    public const string Alarm = "alarm";

    /// <summary>0 for ok, 1 for warning, 2 for alarm: worst first is a descending sort on it.</summary>
    public static int Rank(string status) => status switch
    {
        Alarm => 2,
        Warning => 1,
        _ => 0,
    };

    public static string Worst(string a, string b) => Rank(a) >= Rank(b) ? a : b;

    public static string Worst(IEnumerable<string> statuses) => statuses.Aggregate(Ok, Worst);

    /// <summary>Alarm at or above <paramref name="alarmAt"/>, warning at or above <paramref name="warningAt"/>; null bounds never trip.</summary>
    public static string AtOrAbove(double value, double? warningAt, double? alarmAt) =>
        value >= alarmAt ? Alarm : value >= warningAt ? Warning : Ok;

    /// <summary>Alarm below <paramref name="alarmBelow"/>, warning below <paramref name="warningBelow"/>; null bounds never trip.</summary>
    public static string Below(double value, double? warningBelow, double? alarmBelow) =>
        value < alarmBelow ? Alarm : value < warningBelow ? Warning : Ok;
}
