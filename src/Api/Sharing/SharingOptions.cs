namespace CitySense.Api.Sharing;

/// <summary>What the open-data catalogue says of its publisher and terms. Section "Sharing".</summary>
public sealed class SharingOptions
{
    public const string Section = "Sharing";

    /// <summary>The licence of the datasets (a URL or a name); the city sets it, nothing is assumed.</summary>
    public string License { get; set; } = "not set: configure Sharing:License";

    public string Publisher { get; set; } = "CitySense";

    /// <summary>Days a dataset's data covers unless a request says from and to.</summary>
    public int DefaultDays { get; set; } = 30;
}
