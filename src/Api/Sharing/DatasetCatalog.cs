namespace CitySense.Api.Sharing;

/// <summary>The datasets CitySense publishes: daily figures per level (city, district, community) and register kind.</summary>
public static class DatasetCatalog
{
    public static readonly string[] Levels = ["city", "district", "community"];

    public static readonly string[] Kinds = ["water", "heat", "gas"];

    private const string Daily = "http://publications.europa.eu/resource/authority/frequency/DAILY";

    public static string Id(string level, string kind) => $"{level}-daily-{kind}";

    public static bool TryParse(string id, out string level, out string kind)
    {
        foreach (var l in Levels)
        {
            foreach (var k in Kinds)
            {
                if (id == Id(l, k))
                {
                    (level, kind) = (l, k);
                    return true;
                }
            }
        }

        (level, kind) = (string.Empty, string.Empty);
        return false;
    }

    public static Dataset[] All(string baseUrl, SharingOptions options) =>
        Levels.SelectMany(level => Kinds.Select(kind => Of(baseUrl, level, kind, options))).ToArray();

    public static Dataset Of(string baseUrl, string level, string kind, SharingOptions options)
    {
        var id = Id(level, kind);
        var unit = kind == "heat" ? "kWh" : "m³";
        var per = level == "city" ? "the whole city" : $"each {level}";
        return new Dataset(
            id,
            $"Daily {kind} consumption per {level}",
            $"{Capital(kind)} consumption ({unit}) of {per} per local day, measured and estimated apart, with the readings received and expected and a data-quality score (0–100). Estimated consumption spreads a meter's reporting gap over its hours; readings held as suspect count once an operator accepts them. Definitions: docs/history.md.",
            [kind, "consumption", "utilities", level, "daily"],
            options.Publisher,
            options.License,
            Daily,
            "P1D",
            level,
            [
                new DatasetDistribution($"{id} as CSV", $"{baseUrl}/api/datasets/{id}/data.csv", "text/csv", "CSV"),
                new DatasetDistribution($"{id} as JSON", $"{baseUrl}/api/datasets/{id}/data.json", "application/json", "JSON"),
            ]);
    }

    private static string Capital(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
