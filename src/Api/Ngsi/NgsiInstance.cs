namespace CitySense.Api.Ngsi;

/// <summary>One history bucket of one attribute: [StartMs, EndMs) (Unix ms), its local start as the history writes it, its value.</summary>
public readonly record struct NgsiInstance(long StartMs, long EndMs, string LocalStart, decimal Value);
