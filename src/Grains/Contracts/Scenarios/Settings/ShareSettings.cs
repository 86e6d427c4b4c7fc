namespace CitySense.Contracts.Scenarios.Settings;

/// <summary>
/// A share in percent judged against two bounds, for the leagues of data quality (higher is better) and of rejections
/// (lower is better), and for data sharing; areas with fewer than MinCount readings or requests are listed but not judged.
/// </summary>
public sealed class ShareSettings
{
    public double Warning { get; set; }

    public double Alarm { get; set; }

    public int MinCount { get; set; } = 10;
}
