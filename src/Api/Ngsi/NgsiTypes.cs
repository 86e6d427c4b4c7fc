namespace CitySense.Api.Ngsi;

/// <summary>The NGSI-LD entity types CitySense serves (short names, expanded by the served @context).</summary>
public static class NgsiTypes
{
    public const string Device = "Device";
    public const string WaterConsumptionObserved = "WaterConsumptionObserved";
    public const string SmartMeteringObservation = "SmartMeteringObservation";
    public const string DeviceMeasurement = "DeviceMeasurement";
    public const string Alert = "Alert";
    public const string DataQualityAssessment = "DataQualityAssessment";
    public const string Community = "Community";
    public const string District = "District";
    public const string City = "City";

    /// <summary>Every type, in the order GET /types lists them.</summary>
    public static readonly IReadOnlyList<string> All =
        [City, District, Community, Device, WaterConsumptionObserved, SmartMeteringObservation, DeviceMeasurement, Alert, DataQualityAssessment];
}
