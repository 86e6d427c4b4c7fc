using System.Reflection;

namespace CitySense.Api.Ngsi;

/// <summary>
/// The JSON-LD @context CitySense serves for its NGSI-LD entities: the NGSI-LD core terms it uses and the Smart Data
/// Models terms, embedded in the assembly so nothing is fetched from the internet at run time (docs/sharing.md).
/// </summary>
public static class NgsiContext
{
    /// <summary>Where the context is served, relative to the host.</summary>
    public const string Path = "/ngsi-ld/v1/context.jsonld";

    public const string LinkRel = "http://www.w3.org/ns/json-ld#context";

    public const string JsonLdMediaType = "application/ld+json";

    private static readonly Lazy<string> _document = new(() =>
    {
        using var stream = typeof(NgsiContext).Assembly.GetManifestResourceStream("CitySense.Api.Ngsi.citysense-context.jsonld")
            ?? throw new InvalidOperationException("The NGSI-LD context is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The context document, as served.</summary>
    public static string Document => _document.Value;

    /// <summary>The context's absolute URL on this host (e.g. https://citysense.example/ngsi-ld/v1/context.jsonld).</summary>
    public static string Url(string baseUrl) => baseUrl.TrimEnd('/') + Path;

    /// <summary>The Link header NGSI-LD sends with application/json bodies, which carry no @context of their own.</summary>
    public static string LinkHeader(string baseUrl) => $"<{Url(baseUrl)}>; rel=\"{LinkRel}\"; type=\"{JsonLdMediaType}\"";
}
