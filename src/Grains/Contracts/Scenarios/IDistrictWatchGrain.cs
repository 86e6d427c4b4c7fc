namespace CitySense.Contracts.Scenarios;

/// <summary>
/// The example scenario (docs/scenarios.md): watches one district through its live streams and tells which community
/// draws the most water right now and which alarms are active. Keyed by district id.
/// </summary>
public interface IDistrictWatchGrain : IGrainWithStringKey
{
    /// <summary>Subscribes to the district's indicator and alarm streams; calling it again changes nothing.</summary>
    Task Start();

    Task<DistrictWatchReport> GetReport();
}
