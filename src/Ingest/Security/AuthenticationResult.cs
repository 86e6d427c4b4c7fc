namespace CitySense.Ingest.Security;

/// <summary>The outcome of one CONNECT: the credential on success, else why not.</summary>
public readonly record struct AuthenticationResult(DeviceCredential? Credential, SecurityReason Failure)
{
    public bool Succeeded => Credential is not null;

    public static AuthenticationResult Success(DeviceCredential credential) => new(credential, default);

    public static AuthenticationResult Fail(SecurityReason reason) => new(null, reason);
}
