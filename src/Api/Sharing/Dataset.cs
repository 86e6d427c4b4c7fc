namespace CitySense.Api.Sharing;

/// <summary>
/// One dataset of the catalogue, with DCAT's fields (https://www.w3.org/TR/vocab-dcat-3/): identifier, title,
/// description, keywords, publisher, licence, accrual periodicity (EU frequency vocabulary), temporal resolution, and
/// its distributions.
/// </summary>
public sealed record Dataset(
    string Identifier,
    string Title,
    string Description,
    string[] Keyword,
    string Publisher,
    string License,
    string AccrualPeriodicity,
    string TemporalResolution,
    string Spatial,
    DatasetDistribution[] Distribution);
