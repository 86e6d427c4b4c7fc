using System.Globalization;

namespace CitySense.LoadGenerator.Options;

/// <summary>"--name value" and "--flag" command-line arguments, with the names that were never read reported as errors.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);

    public Arguments(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{arg}': options are written --name value.");
            }

            var name = arg[2..];
            var eq = name.IndexOf('=');
            if (eq >= 0)
            {
                _values[name[..eq]] = name[(eq + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                _values[name] = args[++i];
            }
            else
            {
                _values[name] = null;
            }
        }
    }

    public bool Flag(string name)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var value) && (value is null || bool.Parse(value));
    }

    public string String(string name, string fallback)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var value) && value is not null ? value : fallback;
    }

    public string? OptionalString(string name)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var value) ? value : null;
    }

    public int Int(string name, int fallback, int minimum = 0)
    {
        var value = OptionalString(name);
        var n = value is null ? fallback : int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
        return n >= minimum ? n : throw new ArgumentException($"--{name} is {n}: at least {minimum}.");
    }

    public double Double(string name, double fallback)
    {
        var value = OptionalString(name);
        return value is null ? fallback : double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Seconds ("15", "2.5") or a TimeSpan ("00:00:15").</summary>
    public TimeSpan Duration(string name, TimeSpan fallback)
    {
        var value = OptionalString(name);
        if (value is null)
        {
            return fallback;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Names given on the command line that no setting read: a typo should not silently run defaults.</summary>
    public IEnumerable<string> Unused() => _values.Keys.Where(k => !_read.Contains(k));
}
