namespace CitySense.Contracts.Registry;

/// <summary>What the registry knows of a device: where it belongs and how to read it. Persisted on every operator change.</summary>
[GenerateSerializer]
public sealed class DeviceProfile
{
    [Id(0)] public string District { get; set; } = string.Empty;
    [Id(1)] public string Community { get; set; } = string.Empty;
    [Id(2)] public string Kind { get; set; } = string.Empty;

    /// <summary>Register maximum (m³ or kWh) after which it wraps to zero; null = Registers:DefaultMax.</summary>
    [Id(3)] public decimal? RegisterMax { get; set; }

    /// <summary>Reporting interval the device was configured with; null = observed from its readings.</summary>
    [Id(4)] public TimeSpan? ExpectedInterval { get; set; }

    [Id(5)] public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Provisioned ahead by an operator (rather than registered by its first reading).</summary>
    [Id(6)] public bool Provisioned { get; set; }

    [Id(7)] public bool Decommissioned { get; set; }

    /// <summary>Unix ms of the last operator change.</summary>
    [Id(8)] public long ChangedAtMs { get; set; }
}
