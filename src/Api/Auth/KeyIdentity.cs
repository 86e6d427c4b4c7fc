namespace CitySense.Api.Auth;

/// <summary>Who the API key sent is: its name (recorded in audit trails) and its scopes.</summary>
public sealed record KeyIdentity(string Name, string[] Scopes);
