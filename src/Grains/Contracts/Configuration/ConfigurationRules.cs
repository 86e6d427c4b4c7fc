using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace CitySense.Contracts.Configuration;

/// <summary>
/// The checks every part's validator shares: each names the key, the value and the fix, so a mistake stops start-up
/// with a message instead of an exception deep in a library or a binder.
/// </summary>
public static class ConfigurationRules
{
    public static void Port(IConfiguration config, string key, List<string> errors)
    {
        var value = config[key];
        if (!string.IsNullOrEmpty(value) && (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535))
        {
            errors.Add($"{key} is '{value}': use a TCP port number from 1 to 65535.");
        }
    }

    public static void Duration(IConfiguration config, string key, List<string> errors, TimeSpan minimum)
    {
        var value = config[key];
        if (!string.IsNullOrEmpty(value) && (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) || span < minimum))
        {
            errors.Add($"{key} is '{value}': use a duration of at least {minimum.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s written hh:mm:ss (for example 00:01:00).");
        }
    }

    public static void Integer(IConfiguration config, string key, List<string> errors, long minimum)
    {
        var value = config[key];
        // Every integer option binds to an int: a larger value would fail later, at binding, with a worse message.
        if (!string.IsNullOrEmpty(value) && (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < minimum))
        {
            errors.Add($"{key} is '{value}': use a whole number of at least {minimum}.");
        }
    }

    public static void Boolean(IConfiguration config, string key, List<string> errors)
    {
        if (config[key] is { Length: > 0 } value && !bool.TryParse(value, out _))
        {
            errors.Add($"{key} is '{value}': use true or false.");
        }
    }

    /// <summary>
    /// One of <typeparamref name="T"/>'s names, case-insensitive; <paramref name="parsed"/> is the default when the key is
    /// absent. Enum.TryParse also takes any number ("2"): only the names are valid.
    /// </summary>
    public static bool Enum<T>(IConfiguration config, string key, T fallback, out T parsed) where T : struct, System.Enum
    {
        parsed = fallback;
        var value = config[key];
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        var trimmed = value.TrimStart('-', '+');
        return System.Enum.TryParse(value, ignoreCase: true, out parsed) && System.Enum.IsDefined(parsed) && trimmed.Length > 0 && !char.IsAsciiDigit(trimmed[0]);
    }
}
