using CitySense.Contracts.Scenarios;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>Every scenario of docs/scenarios.md, in the order the list API shows them, built from their settings.</summary>
public static class ScenarioCatalog
{
    /// <param name="zone">The city's time zone (Alarms:TimeZone), for the night window.</param>
    public static IReadOnlyList<Scenario> Create(ScenarioOptions o, TimeZoneInfo zone) =>
    [
        new NightFlowScenario(o.NightFlow, zone),
        new ActiveAlarmsScenario("leaks", "Leaks", "water", o.Leaks),
        new ActiveAlarmsScenario("bursts", "Bursts", "water", o.Bursts),
        new MetricBandScenario("water-pressure", "Water pressure band", "water", o.WaterPressure),
        new SameHourScenario(o.SameHour),
        new TopConsumersScenario(o.TopConsumers),
        new MetricBandScenario("gas-pressure", "Gas pressure band", "gas", o.GasPressure),
        new ActiveAlarmsScenario("gas-leaks", "Gas-leak detectors", "safety", o.GasLeaks),
        new ActiveAlarmsScenario("smoke", "Smoke and fire", "safety", o.Smoke),
        new ActiveAlarmsScenario("manholes", "Manhole covers", "safety", o.Manholes),
        new MetricBandScenario("delta-t", "Heating ΔT league", "heat", o.DeltaT),
        new MetricBandScenario("return-temperature", "Return-temperature watch", "heat", o.ReturnTemperature),
        new HeatCoverageScenario(o.HeatCoverage),
        new MetricBandScenario("air-quality", "Air quality (PM2.5)", "environment", o.AirQuality),
        new MetricBandScenario("noise", "Noise", "environment", o.Noise),
        new ActiveAlarmsScenario("offline-devices", "Offline devices league", "devices", o.OfflineDevices),
        new MetricBandScenario("low-batteries", "Low batteries", "devices", o.LowBatteries),
        new RejectionsScenario(o.Rejections),
        new DataQualityScenario(o.DataQuality),
        new DataSharingScenario(o.DataSharing),
        new AlarmLoadScenario(o.AlarmLoad),
        new UnacknowledgedCriticalScenario(o.UnacknowledgedCritical),
    ];
}
