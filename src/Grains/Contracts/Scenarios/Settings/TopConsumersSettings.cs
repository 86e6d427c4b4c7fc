namespace CitySense.Contracts.Scenarios.Settings;

/// <summary>The communities that consumed the most of a kind since the silo started.</summary>
public sealed class TopConsumersSettings
{
    public string Kind { get; set; } = "water";

    public int Top { get; set; } = 10;
}
