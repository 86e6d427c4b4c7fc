namespace CitySense.Api.Auth;

/// <summary>API keys, bound from configuration section "Api" (Api:Keys:0:Key, Api:Keys:0:Scopes:0 = read, ...).</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Api";

    public List<ApiKey> Keys { get; set; } = [];
}

/// <param name="Name">Who holds the key; the only thing about a key that is ever logged.</param>
public sealed class ApiKey
{
    public string Key { get; set; } = string.Empty;

    public string? Name { get; set; }

    public List<string> Scopes { get; set; } = [];
}
