namespace CitySense.Grains.Domain.Devices;

/// <summary>How far a register moved between two readings, and what the later reading's baseline is.</summary>
public readonly record struct RegisterStep(decimal Delta, decimal Baseline, RegisterStepKind Kind);

public enum RegisterStepKind : byte
{
    Forward,
    Jitter,
    Rollover,
    NewBaseline,
}
