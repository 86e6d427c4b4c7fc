using CitySense.Contracts.Snapshots;

namespace CitySense.Contracts.Areas;

/// <summary>One grain per district, keyed by district id. Knows its communities.</summary>
public interface IDistrictGrain : IAreaGrain, IGrainWithStringKey
{
    Task RegisterCommunity(string community);

    /// <summary>A community's device and alarm counts changed.</summary>
    Task ReportSummary(string community, AreaSummary summary);
}
