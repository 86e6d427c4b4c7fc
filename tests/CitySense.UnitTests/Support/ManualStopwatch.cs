using System.Diagnostics;

namespace CitySense.UnitTests.Support;

/// <summary>A Stopwatch-tick clock that moves only when a test says: for code that takes a <c>Func&lt;long&gt;</c> clock.</summary>
internal sealed class ManualStopwatch
{
    // Not zero: code under test may treat 0 as "never".
    private long _now = 1_000 * Stopwatch.Frequency;

    public long Now() => _now;

    public void Advance(TimeSpan by) => _now += (long)(by.TotalSeconds * Stopwatch.Frequency);
}
