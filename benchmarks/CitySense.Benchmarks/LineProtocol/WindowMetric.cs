namespace CitySense.Benchmarks.LineProtocol;

/// <summary>The statistics of one metric in a window.</summary>
public sealed record WindowMetric(string Name, long Count, double Min, double Max, double Mean, double Latest);
