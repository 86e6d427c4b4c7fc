using System.Reflection;

namespace CitySense.UnitTests.Architecture;

/// <summary>
/// The parts of CitySense and what each may use: the rules of docs/architecture.md, in the form the architecture tests
/// check. A part not listed as allowed is forbidden, in the project file and in the compiled assembly.
/// </summary>
public static class Parts
{
    public const string Contracts = "CitySense.Contracts";
    public const string Output = "CitySense.Output";
    public const string Grains = "CitySense.Grains";
    public const string Live = "CitySense.Live";
    public const string Ingest = "CitySense.Ingest";
    public const string Api = "CitySense.Api";
    public const string Silo = "CitySense.Silo";

    /// <summary>Each part's assembly and project file (relative to the repository), and the parts it may use.</summary>
    public static readonly IReadOnlyList<Part> All =
    [
        new(Contracts, "src/Grains/Contracts/CitySense.Contracts.csproj", typeof(global::CitySense.Contracts.Telemetry.Ids).Assembly, []),
        new(Output, "src/Output/CitySense.Output.csproj", typeof(global::CitySense.Output.Schema.InfluxSchema).Assembly, [Contracts]),
        new(Grains, "src/Grains/Implementation/CitySense.Grains.csproj", typeof(global::CitySense.Grains.GrainsRegistration).Assembly, [Contracts, Output]),
        new(Live, "src/Live/CitySense.Live.csproj", typeof(global::CitySense.Live.LiveRegistration).Assembly, [Contracts]),
        new(Ingest, "src/Ingest/CitySense.Ingest.csproj", typeof(global::CitySense.Ingest.IngestRegistration).Assembly, [Contracts]),
        new(Api, "src/Api/CitySense.Api.csproj", typeof(global::CitySense.Api.CitySenseApi).Assembly, [Contracts, Live]),
        new(Silo, "src/Silo/CitySense.Silo.csproj", typeof(global::CitySense.Silo.Hosting.CitySenseHost).Assembly, [Contracts, Output, Grains, Live, Ingest, Api]),
    ];

    public sealed record Part(string Name, string Project, Assembly Assembly, string[] MayUse);
}
