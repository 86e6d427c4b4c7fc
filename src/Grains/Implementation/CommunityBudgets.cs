using System.Diagnostics.Metrics;

namespace CitySense.Grains;

/// <summary>
/// What the communities' memory budgets removed on this silo: alarms closed by the system past Alarms:ListKept and held
/// suspect readings rejected by the system past Vee:HeldKept (docs/alarms.md §2, docs/history.md §4). Each removal is
/// also an audit entry on its alarm or reading; these counters tell an operator that a budget is being reached at all.
/// Scraped at /metrics.
/// </summary>
public sealed class CommunityBudgets
{
    public const string MeterName = "CitySense.Communities";

    private readonly Counter<long> _alarmsClosed;
    private readonly Counter<long> _suspectsRejected;

    public CommunityBudgets(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _alarmsClosed = meter.CreateCounter<long>("citysense.alarms.closed_by_system", "{alarm}",
            "Cleared, unacknowledged alarms closed by the system because their community's list held more than Alarms:ListKept");
        _suspectsRejected = meter.CreateCounter<long>("citysense.suspects.rejected_by_system", "{reading}",
            "Held suspect readings rejected by the system because their community held more than Vee:HeldKept");
    }

    public void AlarmsClosed(long count)
    {
        if (count > 0)
        {
            _alarmsClosed.Add(count);
        }
    }

    public void SuspectsRejected(long count)
    {
        if (count > 0)
        {
            _suspectsRejected.Add(count);
        }
    }
}
