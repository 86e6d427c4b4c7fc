namespace CitySense.Api.Ngsi;

/// <summary>Bounds of the NGSI-LD API (docs/sharing.md). Section "Ngsi".</summary>
public sealed class NgsiOptions
{
    public const string Section = "Ngsi";

    /// <summary>limit when the request gives none (NGSI-LD's default is 20).</summary>
    public int DefaultLimit { get; set; } = 20;

    /// <summary>The largest limit (and lastN) a request may ask for.</summary>
    public int MaxLimit { get; set; } = 1000;

    /// <summary>
    /// The most devices one query may read to answer (a type=Device query over a large city, or a q over all devices):
    /// beyond, 403 TooManyResults asks to narrow it (by id).
    /// </summary>
    public int MaxDevicesScanned { get; set; } = 5000;

    /// <summary>The most entities one temporal query (/temporal/entities?type=) may answer.</summary>
    public int MaxTemporalEntities { get; set; } = 100;
}
