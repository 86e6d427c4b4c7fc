using System.Diagnostics;

namespace CitySense.LoadGenerator.Measurement;

/// <summary>
/// Stopwatch timestamps as Unix milliseconds, so that a publisher's start and a receiver's last arrival (separate
/// processes) can be subtracted, without reading the wall clock for every message.
/// </summary>
public static class WallClock
{
    private static readonly long OriginTicks = Stopwatch.GetTimestamp();
    private static readonly double OriginUnixMs = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    public static double UnixMs(long stopwatchTicks) => OriginUnixMs + Stopwatch.GetElapsedTime(OriginTicks, stopwatchTicks).TotalMilliseconds;

    public static double NowUnixMs() => UnixMs(Stopwatch.GetTimestamp());
}
