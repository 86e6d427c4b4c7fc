namespace CitySense.Contracts.Alarms;

/// <summary>
/// Which areas have alarms, durably (storage "alarms"): key "city" lists districts, "district/{district}" its
/// communities. The alarm history of a district or the city asks these, not the areas' state, which a single node does
/// not keep across a restart.
/// </summary>
public interface IAlarmIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds a child area (idempotent); a district's index adds its district to the city's.</summary>
    Task Add(string child);

    Task<string[]> Children();

    public static string CityKey => "city";

    public static string DistrictKey(string district) => "district/" + district;
}
