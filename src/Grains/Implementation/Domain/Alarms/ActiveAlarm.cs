using CitySense.Contracts.Alarms;

namespace CitySense.Grains.Domain.Alarms;

/// <summary>An alarm of one device while it is raised.</summary>
public sealed class ActiveAlarm(long startMs, AlarmSeverity severity, double value)
{
    public long StartMs { get; } = startMs;
    public AlarmSeverity Severity { get; set; } = severity;
    public double Peak { get; set; } = value;
}
