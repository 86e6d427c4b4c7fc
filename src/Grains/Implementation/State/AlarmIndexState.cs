namespace CitySense.Grains.State;

/// <summary>The child areas with alarms of the city or a district (storage "alarms").</summary>
[GenerateSerializer]
public sealed class AlarmIndexState
{
    [Id(0)] public string[] Children { get; set; } = [];
}
