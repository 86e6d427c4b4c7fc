using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;

namespace CitySense.Grains.Domain;

/// <summary>
/// One device's state and the rules that turn its readings into deltas. Pure logic: the device grain wraps it.
/// </summary>
public sealed class DeviceState(IndicatorOptions options)
{
    // The most recent windows this device reported into, to tell its first reading in a window. A reading for a window
    // older than all of them may or may not be the first there: it is not flagged, so a device is never counted twice.
    private readonly long[] _recentWindows = new long[16];
    private int _windowsSeen;
    private long _registerTimestampMs = long.MinValue;
    private double? _lastFlow;

    public DeviceAddress? Address { get; private set; }
    public long FirstSeenMs { get; private set; }
    public long LastTimestampMs { get; private set; } = long.MinValue;
    public ulong? LastSeq { get; private set; }
    public long Accepted { get; private set; }
    public long Rejected { get; private set; }
    public double? Register { get; private set; }
    public decimal Consumption { get; private set; }
    public MetricSample[] Latest { get; private set; } = [];

    public DeviceUpdate Apply(DeviceAddress address, in DeviceReading reading)
    {
        if (Address is not null && !Address.SamePlaceAs(address))
        {
            Rejected++;
            return new DeviceUpdate(address.Device, address.Kind, reading.TimestampMs, options.WindowStart(reading.TimestampMs), 0, 0, DeviceUpdateFlags.None, [], RejectionReason.DeviceRegisteredElsewhere);
        }

        var flags = DeviceUpdateFlags.None;
        if (Address is null)
        {
            // First reading: the device registers itself to the community and district of its topic.
            Address = address;
            FirstSeenMs = reading.ReceivedAtMs;
            flags |= DeviceUpdateFlags.FirstSeen;
        }

        var windowStart = options.WindowStart(reading.TimestampMs);
        if (IsFirstInWindow(windowStart))
        {
            flags |= DeviceUpdateFlags.FirstInWindow;
        }

        var delta = RegisterDelta(address.Kind, reading);
        Consumption += delta;

        double flowDelta = 0;
        if (reading.TimestampMs >= LastTimestampMs)
        {
            flags |= DeviceUpdateFlags.Latest;
            LastTimestampMs = reading.TimestampMs;
            LastSeq = reading.HasSeq ? reading.Seq : null;
            Latest = reading.Metrics;
            if (TryGet(reading.Metrics, Kinds.FlowMetric, out var flow))
            {
                flowDelta = flow - (_lastFlow ?? 0);
                _lastFlow = flow;
            }
        }

        Accepted++;
        return new DeviceUpdate(address.Device, address.Kind, reading.TimestampMs, windowStart, delta, flowDelta, flags, reading.Metrics, RejectionReason.None);
    }

    private bool IsFirstInWindow(long windowStart)
    {
        var tracked = Math.Min(_windowsSeen, _recentWindows.Length);
        var oldest = long.MaxValue;
        for (var i = 0; i < tracked; i++)
        {
            if (_recentWindows[i] == windowStart)
            {
                return false;
            }

            oldest = Math.Min(oldest, _recentWindows[i]);
        }

        if (tracked == _recentWindows.Length)
        {
            if (windowStart < oldest)
            {
                return false;
            }

            // Replace the oldest tracked window.
            _recentWindows[Array.IndexOf(_recentWindows, oldest)] = windowStart;
        }
        else
        {
            _recentWindows[tracked] = windowStart;
        }

        _windowsSeen++;
        return true;
    }

    public DeviceSnapshot? ToSnapshot() => Address is null
        ? null
        : new DeviceSnapshot(Address.Device, Address.District, Address.Community, Address.Kind, FirstSeenMs, LastTimestampMs, LastSeq,
            Accepted, Rejected, Register, Kinds.RegisterMetric(Address.Kind) is null ? null : Consumption, Latest);

    /// <summary>
    /// Consumption is the sum of forward register movements, never negative: the first value is the baseline, a
    /// reading older than the register's newest moves nothing, and a register that went down starts a new baseline.
    /// </summary>
    // Deltas are taken in decimal: registers report litres (3 decimals), and binary doubles would leave
    // 0.0029999999997 where the meter moved 0.003 m³.
    private decimal RegisterDelta(string kind, in DeviceReading reading)
    {
        var register = Kinds.RegisterMetric(kind);
        if (register is null || !TryGet(reading.Metrics, register, out var value) || reading.TimestampMs <= _registerTimestampMs)
        {
            return 0;
        }

        var previous = Register;
        Register = value;
        _registerTimestampMs = reading.TimestampMs;
        return previous is { } last && value > last ? (decimal)value - (decimal)last : 0;
    }

    private static bool TryGet(MetricSample[] metrics, string name, out double value)
    {
        foreach (var metric in metrics)
        {
            if (metric.Name == name)
            {
                value = metric.Value;
                return true;
            }
        }

        value = 0;
        return false;
    }
}
