using System.Diagnostics;

namespace CitySense.Silo.Logging;

/// <summary>
/// How many warnings and errors of one cause (logger category and event, or message template) reach the log per
/// minute. A cluster losing a silo retried one batch against it for 30 s and wrote 65 000 lines in 40 s: the first few
/// lines tell an operator everything, the rest bury other causes. Past <see cref="PerMinute"/> lines of a cause in a
/// minute, lines are counted instead of written, and the next line of that cause says how many were left out.
/// </summary>
public sealed class LogThrottle(Func<long> clock, int perMinute = LogThrottle.DefaultPerMinute)
{
    public const int DefaultPerMinute = 5;

    // Causes tracked at once: categories × events is small in practice; past this the table starts over rather than grow.
    private const int MaxCauses = 4096;

    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly long _minute = Stopwatch.Frequency * 60;

    public LogThrottle() : this(Stopwatch.GetTimestamp)
    {
    }

    public int PerMinute => perMinute;

    /// <summary>
    /// Whether a line of <paramref name="cause"/> is written now; <paramref name="leftOut"/> is how many lines of the
    /// cause were left out since the last one written (to say so with this one).
    /// </summary>
    public bool Admit(string cause, out long leftOut)
    {
        var now = clock();
        lock (_lock)
        {
            if (!_windows.TryGetValue(cause, out var window))
            {
                if (_windows.Count >= MaxCauses)
                {
                    _windows.Clear();
                }

                window = new Window { Start = now };
                _windows[cause] = window;
            }

            if (now - window.Start >= _minute)
            {
                window.Start = now;
                window.Written = 0;
            }

            if (window.Written < perMinute)
            {
                window.Written++;
                leftOut = window.LeftOut;
                window.LeftOut = 0;
                return true;
            }

            window.LeftOut++;
            leftOut = 0;
            return false;
        }
    }

    private sealed class Window
    {
        public long Start;
        public int Written;
        public long LeftOut;
    }
}
