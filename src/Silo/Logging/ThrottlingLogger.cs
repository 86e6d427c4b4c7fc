using System.Globalization;
using Microsoft.Extensions.Logging;

namespace CitySense.Silo.Logging;

/// <summary>A logger whose warnings and errors pass through a <see cref="LogThrottle"/>; lower levels pass untouched.</summary>
internal sealed class ThrottlingLogger(ILogger inner, string category, LogThrottle throttle) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel < LogLevel.Warning || !inner.IsEnabled(logLevel))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        if (!throttle.Admit(Cause(eventId, state), out var leftOut))
        {
            return;
        }

        if (leftOut > 0)
        {
            inner.Log(logLevel, eventId, state, exception, (s, e) => string.Create(CultureInfo.InvariantCulture,
                $"{formatter(s, e)} [{leftOut} more like this were left out of the log: at most {throttle.PerMinute} a minute per cause]"));
            return;
        }

        inner.Log(logLevel, eventId, state, exception, formatter);
    }

    /// <summary>The category and the event id; with no event id (many libraries), the message template instead.</summary>
    private string Cause<TState>(EventId eventId, TState state)
    {
        if (eventId.Id != 0)
        {
            return string.Concat(category, "#", eventId.Id.ToString(CultureInfo.InvariantCulture));
        }

        if (state is IReadOnlyList<KeyValuePair<string, object?>> values && values.Count > 0 && values[^1].Key == "{OriginalFormat}")
        {
            return string.Concat(category, "#", values[^1].Value as string);
        }

        return category;
    }
}
