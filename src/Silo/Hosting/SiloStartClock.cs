using System.Diagnostics;

namespace CitySense.Silo.Hosting;

/// <summary>Real time whose timestamps count from this clock's creation (the silo's start), not the machine's boot.</summary>
internal sealed class SiloStartClock : TimeProvider
{
    private readonly long _origin = Stopwatch.GetTimestamp();

    public override long GetTimestamp() => Stopwatch.GetTimestamp() - _origin;
}
