using CitySense.Silo.Logging;
using Microsoft.Extensions.Logging;
using CitySense.UnitTests.Support;

namespace CitySense.UnitTests.Logging;

public sealed class LogThrottleTests
{
    private readonly ManualStopwatch _clock = new();

    private void Advance(TimeSpan by) => _clock.Advance(by);

    [Fact]
    public void A_cause_writes_a_few_lines_a_minute_and_the_next_line_after_says_how_many_were_left_out()
    {
        var throttle = new LogThrottle(_clock.Now, perMinute: 3);

        var written = Enumerable.Range(0, 1000).Count(i => throttle.Admit("Orleans.Messaging#100071", out var _));
        Assert.Equal(3, written);

        Advance(TimeSpan.FromSeconds(61));
        Assert.True(throttle.Admit("Orleans.Messaging#100071", out var leftOut));
        Assert.Equal(997, leftOut);
        Assert.True(throttle.Admit("Orleans.Messaging#100071", out leftOut));
        Assert.Equal(0, leftOut);
    }

    [Fact]
    public void Causes_are_throttled_apart_so_a_flood_of_one_never_hides_another()
    {
        var throttle = new LogThrottle(_clock.Now, perMinute: 2);
        for (var i = 0; i < 100; i++)
        {
            throttle.Admit("noisy", out _);
        }

        Assert.True(throttle.Admit("rare", out _));
    }

    [Fact]
    public void Through_the_provider_warnings_of_one_event_are_summarised_and_information_is_never_held_back()
    {
        var throttle = new LogThrottle(_clock.Now, perMinute: 2);
        var sink = new ListLoggerProvider();
        using var provider = new ThrottlingLoggerProvider(sink, throttle);
        var logger = provider.CreateLogger("CitySense.Ingest");

        for (var i = 0; i < 10; i++)
        {
            logger.Log(LogLevel.Warning, new EventId(412), "batch failed {Attempt}", i);
            logger.Log(LogLevel.Information, new EventId(410), "connected {Attempt}", i);
        }

        Advance(TimeSpan.FromMinutes(1));
        logger.Log(LogLevel.Warning, new EventId(412), "batch failed {Attempt}", 10);

        Assert.Equal(10, sink.Lines.Count(l => l.StartsWith("connected", StringComparison.Ordinal)));
        Assert.Equal(["batch failed 0", "batch failed 1", "batch failed 10 [8 more like this were left out of the log: at most 2 a minute per cause]"],
            sink.Lines.Where(l => l.StartsWith("batch", StringComparison.Ordinal)));
    }

    [Fact]
    public void Messages_without_an_event_id_are_told_apart_by_their_template()
    {
        var throttle = new LogThrottle(_clock.Now, perMinute: 1);
        var sink = new ListLoggerProvider();
        using var provider = new ThrottlingLoggerProvider(sink, throttle);
        var logger = provider.CreateLogger("Polly");

        logger.LogWarning("Execution attempt {Attempt}", 1);
        logger.LogWarning("Execution attempt {Attempt}", 2);
        logger.LogWarning("Resilience event {Name}", "x");

        Assert.Equal(["Execution attempt 1", "Resilience event x"], sink.Lines);
    }

    private sealed class ListLoggerProvider : ILoggerProvider
    {
        public List<string> Lines { get; } = [];

        public ILogger CreateLogger(string categoryName) => new ListLogger(Lines);

        public void Dispose()
        {
        }

        private sealed class ListLogger(List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Add(formatter(state, exception));
        }
    }
}
