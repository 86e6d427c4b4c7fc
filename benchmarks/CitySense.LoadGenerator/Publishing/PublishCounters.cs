namespace CitySense.LoadGenerator.Publishing;

/// <summary>Totals shared by every publish loop, read once per second for progress.</summary>
public sealed class PublishCounters
{
    private long _messages;
    private long _readings;
    private long _failures;

    public long Messages => Interlocked.Read(ref _messages);
    public long Readings => Interlocked.Read(ref _readings);
    public long Failures => Interlocked.Read(ref _failures);

    public void Published(int readings)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _readings, readings);
    }

    public void Failed() => Interlocked.Increment(ref _failures);
}
