namespace CitySense.Contracts.Live;

/// <summary>The area levels as area grains name them (<see cref="Snapshots.AreaSnapshot.Level"/>).</summary>
public static class LiveLevels
{
    public const string City = "city";
    public const string District = "district";
    public const string Community = "community";
}
