using CitySense.Contracts.Alarms;
using CitySense.Contracts.Snapshots;

namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// An area's device and alarm counts kept between flushes (what a community last reported, what a district holds of
/// each community, what an area last wrote) as values overwritten in place.
/// </summary>
/// <remarks>
/// Why not keep the <see cref="AreaSummary"/> that arrived: its counts change at most flushes (the expected readings an
/// hour follow each device's observed interval), so each kept summary lived one flush interval (10 s), long enough to
/// be promoted, and then died in gen2: 623 000 <see cref="DeviceCounts"/> in 1.5 minutes at a million devices, a third
/// of what a full collection found dead there (benchmarks/RESULTS.md §61). Values copied into arrays that live as long
/// as the area leave the summaries that carry them to die young.
/// </remarks>
public sealed class KeptSummary
{
    private Devices[] _devices = [];
    private int _deviceKinds;
    private Alarms[] _alarms = [];
    private int _alarmKinds;
    // What ToSummary built since the last change: an area stored after every batch (a cluster) copies its children's
    // counts each time, and unchanged counts need no new objects.
    private AreaSummary? _built;

    /// <summary>Whether <paramref name="summary"/> has exactly these counts, in this order.</summary>
    public bool SameAs(AreaSummary summary)
    {
        if (summary.Devices.Length != _deviceKinds || summary.Alarms.Length != _alarmKinds)
        {
            return false;
        }

        for (var i = 0; i < _deviceKinds; i++)
        {
            if (!_devices[i].SameAs(summary.Devices[i]))
            {
                return false;
            }
        }

        for (var i = 0; i < _alarmKinds; i++)
        {
            if (!_alarms[i].SameAs(summary.Alarms[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Keeps the counts of <paramref name="summary"/>, not the summary itself.</summary>
    public void Keep(AreaSummary summary)
    {
        if (SameAs(summary))
        {
            return;
        }

        _built = null;
        Copy(ref _devices, ref _deviceKinds, summary.Devices);
        Copy(ref _alarms, ref _alarmKinds, summary.Alarms);
    }

    // Overwrites the kept values in place, growing the array only for more kinds than ever, and clears what is left of
    // kinds gone (their strings).
    private static void Copy<TKept, TCount>(ref TKept[] kept, ref int used, TCount[] counts)
        where TKept : struct, IKept<TCount>
    {
        if (kept.Length < counts.Length)
        {
            Array.Resize(ref kept, counts.Length);
        }

        for (var i = 0; i < counts.Length; i++)
        {
            kept[i].Set(counts[i]);
        }

        Array.Clear(kept, counts.Length, used - Math.Min(used, counts.Length));
        used = counts.Length;
    }

    /// <summary>The kept counts as a summary (stored state; built once per change).</summary>
    public AreaSummary ToSummary()
    {
        if (_built is not null)
        {
            return _built;
        }

        var devices = new DeviceCounts[_deviceKinds];
        for (var i = 0; i < devices.Length; i++)
        {
            devices[i] = _devices[i].ToCounts();
        }

        var alarms = new AlarmCount[_alarmKinds];
        for (var i = 0; i < alarms.Length; i++)
        {
            alarms[i] = _alarms[i].ToCount();
        }

        return _built = new AreaSummary(devices, alarms);
    }

    /// <summary>
    /// The sum of kept counts (a district's of its communities, the city's of its districts): device counts by kind in
    /// kind order, alarms by kind and severity in that order, as <see cref="AreaSummary.Sum"/> gives.
    /// </summary>
    public static AreaSummary Sum(IEnumerable<KeptSummary> parts)
    {
        var devices = new List<Devices>();
        var alarms = new List<Alarms>();
        foreach (var part in parts)
        {
            for (var i = 0; i < part._deviceKinds; i++)
            {
                var d = part._devices[i];
                var at = IndexOf(devices, d.Kind);
                if (at < 0)
                {
                    devices.Add(d);
                }
                else
                {
                    var sum = devices[at];
                    sum.Add(d);
                    devices[at] = sum;
                }
            }

            for (var i = 0; i < part._alarmKinds; i++)
            {
                var a = part._alarms[i];
                var at = IndexOf(alarms, a.Kind, a.Severity);
                if (at < 0)
                {
                    alarms.Add(a);
                }
                else
                {
                    var sum = alarms[at];
                    sum.Active += a.Active;
                    alarms[at] = sum;
                }
            }
        }

        devices.Sort((x, y) => string.CompareOrdinal(x.Kind, y.Kind));
        alarms.Sort((x, y) => string.CompareOrdinal(x.Kind, y.Kind) is var byKind and not 0 ? byKind : x.Severity.CompareTo(y.Severity));
        return new AreaSummary(devices.ConvertAll(d => d.ToCounts()).ToArray(), alarms.ConvertAll(a => a.ToCount()).ToArray());
    }

    // Linear: an area has a handful of kinds (and of severities), and a loop needs no closure.
    private static int IndexOf(List<Devices> devices, string kind)
    {
        for (var i = 0; i < devices.Count; i++)
        {
            if (string.Equals(devices[i].Kind, kind, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static int IndexOf(List<Alarms> alarms, string kind, AlarmSeverity severity)
    {
        for (var i = 0; i < alarms.Count; i++)
        {
            if (alarms[i].Severity == severity && string.Equals(alarms[i].Kind, kind, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private interface IKept<in TCount>
    {
        void Set(TCount count);
    }

    private struct Devices : IKept<DeviceCounts>
    {
        public string Kind;
        public long Registered;
        public long Reporting;
        public long Online;
        public long Offline;
        public double ExpectedPerHour;

        public readonly bool SameAs(DeviceCounts c) =>
            Registered == c.Registered && Reporting == c.Reporting && Online == c.Online && Offline == c.Offline
            && ExpectedPerHour.Equals(c.ExpectedPerHour) && string.Equals(Kind, c.Kind, StringComparison.Ordinal);

        public void Set(DeviceCounts c)
        {
            // The kind's string already kept stays: one fewer reference into a summary that should die young.
            Kind = string.Equals(Kind, c.Kind, StringComparison.Ordinal) ? Kind : c.Kind;
            Registered = c.Registered;
            Reporting = c.Reporting;
            Online = c.Online;
            Offline = c.Offline;
            ExpectedPerHour = c.ExpectedPerHour;
        }

        public void Add(in Devices other)
        {
            Registered += other.Registered;
            Reporting += other.Reporting;
            Online += other.Online;
            Offline += other.Offline;
            ExpectedPerHour += other.ExpectedPerHour;
        }

        public readonly DeviceCounts ToCounts() => new(Kind, Registered, Reporting, Online, Offline) { ExpectedPerHour = ExpectedPerHour };
    }

    private struct Alarms : IKept<AlarmCount>
    {
        public string Kind;
        public AlarmSeverity Severity;
        public long Active;

        public readonly bool SameAs(AlarmCount c) =>
            Severity == c.Severity && Active == c.Active && string.Equals(Kind, c.Kind, StringComparison.Ordinal);

        public void Set(AlarmCount c)
        {
            Kind = string.Equals(Kind, c.Kind, StringComparison.Ordinal) ? Kind : c.Kind;
            Severity = c.Severity;
            Active = c.Active;
        }

        public readonly AlarmCount ToCount() => new(Kind, Severity, Active);
    }
}
