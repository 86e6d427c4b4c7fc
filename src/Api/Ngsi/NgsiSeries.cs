namespace CitySense.Api.Ngsi;

/// <summary>One attribute's history, oldest bucket first, with its UN/CEFACT unit code.</summary>
public sealed record NgsiSeries(string Attribute, string? UnitCode, IReadOnlyList<NgsiInstance> Instances);
