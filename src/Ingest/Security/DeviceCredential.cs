namespace CitySense.Ingest.Security;

/// <summary>One entry of the credentials file: who may connect, with which secret, and which topics are theirs.</summary>
public sealed record DeviceCredential(string User, CredentialRole Role, string Scope, SecretHash Secret);
