using System.Globalization;
using CitySense.Contracts.History;

namespace CitySense.Api.Ngsi;

/// <summary>
/// aggrPeriodDuration, an ISO 8601 duration CitySense can answer from its history buckets: PTnH (n local hours), PnD
/// (n local days), PnW (7n days) or PnM (n local months); n from 1. Minutes, seconds, years and mixtures are refused.
/// </summary>
public readonly record struct NgsiDuration(HistoryStep Step, int Count)
{
    public static bool TryParse(string? text, out NgsiDuration duration)
    {
        duration = default;
        if (text is null || text.Length < 3 || text[0] != 'P')
        {
            return false;
        }

        var time = text.StartsWith("PT", StringComparison.Ordinal);
        var digits = text[(time ? 2 : 1)..^1];
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)
            || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            return false;
        }

        (HistoryStep Step, int Factor)? unit = (time, text[^1]) switch
        {
            (true, 'H') => (HistoryStep.Hour, 1),
            (false, 'D') => (HistoryStep.Day, 1),
            (false, 'W') => (HistoryStep.Day, 7),
            (false, 'M') => (HistoryStep.Month, 1),
            _ => null,
        };
        if (unit is not { } u || n > 10_000)
        {
            return false;
        }

        duration = new NgsiDuration(u.Step, n * u.Factor);
        return true;
    }
}
