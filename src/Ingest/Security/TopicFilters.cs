namespace CitySense.Ingest.Security;

/// <summary>MQTT topic filter rules (MQTT 5, section 4.7) as far as access control needs them.</summary>
public static class TopicFilters
{
    /// <summary>'#' only as the whole last level, '+' only as a whole level, no NUL, not empty.</summary>
    public static bool IsValidFilter(ReadOnlySpan<char> filter)
    {
        if (filter.IsEmpty || filter.Contains('\0'))
        {
            return false;
        }

        while (true)
        {
            var level = NextLevel(ref filter, out var last);
            if (level.Contains('#') && (level.Length != 1 || !last))
            {
                return false;
            }

            if (level.Contains('+') && level.Length != 1)
            {
                return false;
            }

            if (last)
            {
                return true;
            }
        }
    }

    /// <summary>Whether <paramref name="topic"/> (a topic name, no wildcards) matches <paramref name="filter"/>.</summary>
    public static bool Matches(ReadOnlySpan<char> filter, ReadOnlySpan<char> topic)
    {
        // Wildcards at the first level never match system topics ($SYS/...), as brokers do.
        if (topic.StartsWith("$") && (filter.StartsWith("+") || filter.StartsWith("#")))
        {
            return false;
        }

        while (true)
        {
            var f = NextLevel(ref filter, out var filterDone);
            if (f is "#")
            {
                return true;
            }

            var t = NextLevel(ref topic, out var topicDone);
            if (f is not "+" && !f.SequenceEqual(t))
            {
                return false;
            }

            if (filterDone || topicDone)
            {
                // "a/#" also matches "a": the parent level itself.
                return filterDone && topicDone || (topicDone && filter is "#");
            }
        }
    }

    /// <summary>
    /// Whether every topic that <paramref name="filter"/> can match is also matched by <paramref name="scope"/>: a client
    /// whose scope is <c>city/north/#</c> may subscribe to <c>city/north/+/water/#</c> but not to <c>city/#</c> or <c>#</c>.
    /// </summary>
    public static bool Covers(ReadOnlySpan<char> scope, ReadOnlySpan<char> filter)
    {
        // A scope's first-level wildcard does not reach system topics, so it cannot cover a filter for them.
        if (filter.StartsWith("$") && (scope.StartsWith("+") || scope.StartsWith("#")))
        {
            return false;
        }

        while (true)
        {
            var s = NextLevel(ref scope, out var scopeDone);
            if (s is "#")
            {
                return true;
            }

            var f = NextLevel(ref filter, out var filterDone);
            if (f is "#")
            {
                return false;
            }

            if (f is "+" ? s is not "+" : s is not "+" && !s.SequenceEqual(f))
            {
                return false;
            }

            if (scopeDone || filterDone)
            {
                // "a/#" covers "a" too: '#' includes the parent level.
                return scopeDone && filterDone || (filterDone && scope is "#");
            }
        }
    }

    private static ReadOnlySpan<char> NextLevel(ref ReadOnlySpan<char> rest, out bool last)
    {
        var slash = rest.IndexOf('/');
        if (slash < 0)
        {
            var level = rest;
            rest = default;
            last = true;
            return level;
        }

        var head = rest[..slash];
        rest = rest[(slash + 1)..];
        last = false;
        return head;
    }
}
