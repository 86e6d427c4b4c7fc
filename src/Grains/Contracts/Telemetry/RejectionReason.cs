namespace CitySense.Contracts.Telemetry;

/// <summary>Why an input was refused. Values are stable: their names appear in counters, metrics, logs and the API.</summary>
public enum RejectionReason : byte
{
    None = 0,
    UnknownTopic,
    InvalidId,
    PayloadTooLarge,
    NotJson,
    NotAnObject,
    MissingTimestamp,
    InvalidTimestamp,
    TimestampInFuture,
    WrongType,
    NotFinite,
    NoMetrics,
    TooManyMetrics,
    MissingDevice,
    MissingKind,
    DeviceRegisteredElsewhere,
    TooManyReadings,
    DuplicateKey,
    BadEncoding,
    NotAnArray,
    RegisterOutOfRange,
    DeviceDecommissioned,
    RateLimited,
}

public static class RejectionReasons
{
    /// <summary>All reasons but <see cref="RejectionReason.None"/>, for counters indexed by reason.</summary>
    public const int Count = (int)RejectionReason.RateLimited + 1;

    /// <summary>The kebab-case name used in the API, logs and metrics.</summary>
    public static string Name(RejectionReason reason) => reason switch
    {
        RejectionReason.None => "none",
        RejectionReason.UnknownTopic => "unknown-topic",
        RejectionReason.InvalidId => "invalid-id",
        RejectionReason.PayloadTooLarge => "payload-too-large",
        RejectionReason.NotJson => "not-json",
        RejectionReason.NotAnObject => "not-an-object",
        RejectionReason.MissingTimestamp => "missing-ts",
        RejectionReason.InvalidTimestamp => "invalid-ts",
        RejectionReason.TimestampInFuture => "ts-in-future",
        RejectionReason.WrongType => "wrong-type",
        RejectionReason.NotFinite => "not-finite",
        RejectionReason.NoMetrics => "no-metrics",
        RejectionReason.TooManyMetrics => "too-many-metrics",
        RejectionReason.MissingDevice => "missing-device",
        RejectionReason.MissingKind => "missing-kind",
        RejectionReason.DeviceRegisteredElsewhere => "device-registered-elsewhere",
        RejectionReason.TooManyReadings => "too-many-readings",
        RejectionReason.DuplicateKey => "duplicate-key",
        RejectionReason.BadEncoding => "bad-encoding",
        RejectionReason.NotAnArray => "not-an-array",
        RejectionReason.RegisterOutOfRange => "register-out-of-range",
        RejectionReason.DeviceDecommissioned => "device-decommissioned",
        RejectionReason.RateLimited => "rate-limited",
        _ => "unknown",
    };
}
