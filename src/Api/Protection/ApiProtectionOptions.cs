namespace CitySense.Api.Protection;

/// <summary>HTTP limits. Bound from configuration section "Api".</summary>
public sealed class ApiProtectionOptions
{
    public const string Section = "Api";

    /// <summary>Requests per second per client (API key, or remote address without one); 0 = no limit.</summary>
    public double RequestsPerSecond { get; set; } = 50;

    /// <summary>Requests a client may make at once above its rate.</summary>
    public int RequestBurst { get; set; } = 200;

    /// <summary>Browser origins allowed to call the API from another site (CORS); empty = same origin only.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>Largest request body (registry requests are a few hundred bytes).</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
}
