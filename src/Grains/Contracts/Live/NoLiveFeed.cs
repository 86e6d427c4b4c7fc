using CitySense.Contracts.Alarms;
using CitySense.Contracts.Snapshots;

namespace CitySense.Contracts.Live;

/// <summary>The feed when nobody subscribes live.</summary>
public sealed class NoLiveFeed : ILiveFeed
{
    public bool Enabled => false;

    public TimeSpan AreaInterval => TimeSpan.Zero;

    public void AreaChanged(string level, string key, IReadOnlyList<KindSnapshot> kinds)
    {
    }

    public void AlarmChanged(AlarmEvent alarm)
    {
    }

    public void AlarmChanged(AlarmRecord record)
    {
    }
}
