using CitySense.Contracts.Snapshots;

namespace CitySense.Contracts.Areas;

/// <summary>The whole-city aggregate, a single grain keyed <see cref="Telemetry.AreaKeys.City"/>. Knows the districts.</summary>
public interface ICityGrain : IAreaGrain, IGrainWithStringKey
{
    Task RegisterDistrict(string district);

    /// <summary>A district's device and alarm counts changed.</summary>
    Task ReportSummary(string district, AreaSummary summary);
}
