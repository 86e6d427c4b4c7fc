namespace CitySense.Contracts.Operations;

public sealed record RejectionsReport(
    long Total,
    IReadOnlyDictionary<string, long> ByReason,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ByCommunity,
    IReadOnlyList<RejectionRecord> Recent);
