namespace CitySense.Contracts.Telemetry;

/// <summary>The id rule of telemetry contract v1: [A-Za-z0-9_.-]{1,64}.</summary>
public static class Ids
{
    public const int MaxLength = 64;

    public static bool IsValid(ReadOnlySpan<char> id)
    {
        if (id.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!IsIdChar(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsValid(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var b in utf8)
        {
            if (!IsIdChar((char)b))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIdChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';
}
