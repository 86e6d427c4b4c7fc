namespace CitySense.Api.Ngsi;

/// <summary>aggrMethods and aggrPeriodDuration; a null <paramref name="Period"/> is the whole time range (NGSI-LD's PT0S).</summary>
public sealed record NgsiAggregation(IReadOnlyList<string> Methods, NgsiDuration? Period)
{
    /// <summary>The methods CitySense computes; NGSI-LD's others (stddev, sumsq, distinctCount) are refused.</summary>
    public static readonly IReadOnlyList<string> Supported = ["totalCount", "sum", "avg", "min", "max"];

    public static bool TryParse(string methods, out IReadOnlyList<string> parsed, out string error)
    {
        var list = methods.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
        parsed = list;
        error = string.Empty;
        if (list.Length == 0)
        {
            error = "aggrMethods must name at least one of totalCount, sum, avg, min, max.";
            return false;
        }

        if (list.FirstOrDefault(m => !Supported.Contains(m)) is { } unknown)
        {
            error = $"aggrMethods '{unknown}' is not supported: use totalCount, sum, avg, min, max.";
            return false;
        }

        return true;
    }
}
