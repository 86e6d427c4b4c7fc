namespace CitySense.Contracts.Telemetry;

/// <summary>Grain keys for areas. Ids never contain '/', so the separator is unambiguous.</summary>
public static class AreaKeys
{
    /// <summary>Key of the single city-wide aggregate.</summary>
    public const string City = "city";

    public static string Community(string district, string community) => string.Concat(district, "/", community);
}
