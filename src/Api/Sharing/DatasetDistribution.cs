namespace CitySense.Api.Sharing;

/// <summary>A way to get a dataset: its download URL and media type (DCAT distribution).</summary>
public sealed record DatasetDistribution(string Title, string DownloadUrl, string MediaType, string Format);
