using System.Text.RegularExpressions;
using System.Xml.Linq;
using NetArchTest.Rules;

namespace CitySense.UnitTests.Architecture;

/// <summary>
/// What a part may touch, checked by the compiler's output rather than by reading: project references, the assemblies
/// each part's compiled code uses, and the direction of namespaces inside each part (docs/architecture.md).
/// </summary>
public sealed class ArchitectureTests
{
    public static TheoryData<string> PartNames() => [.. Parts.All.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(PartNames))]
    public void A_part_references_only_the_projects_its_rules_allow(string name)
    {
        var part = Parts.All.Single(p => p.Name == name);
        var project = XDocument.Load(Path.Combine(Repository.Root, part.Project));
        var referenced = project.Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value))
            .ToArray();

        Assert.Empty(referenced.Except(part.MayUse));
    }

    [Theory]
    [MemberData(nameof(PartNames))]
    public void A_parts_compiled_code_uses_only_the_parts_its_rules_allow(string name)
    {
        var part = Parts.All.Single(p => p.Name == name);
        var used = part.Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(a => a.StartsWith("CitySense.", StringComparison.Ordinal))
            .ToArray();

        Assert.Empty(used.Except(part.MayUse));
    }

    [Theory]
    [MemberData(nameof(PartNames))]
    public void Namespaces_inside_a_part_depend_on_each_other_in_one_direction_only(string name)
    {
        var graph = NamespaceGraph.Of(Parts.All.Single(p => p.Name == name).Assembly);

        var loop = graph.FindLoop();

        Assert.True(loop is null, $"{name}: namespaces depend on each other in a loop: {string.Join(" -> ", loop ?? [])}");
    }

    /// <summary>The check above is only as good as the dependencies it sees: these are known to exist.</summary>
    [Theory]
    [InlineData(Parts.Grains, "CitySense.Grains.Areas", "CitySense.Grains.Domain.Areas")]
    [InlineData(Parts.Grains, "CitySense.Grains.Domain.Areas", "CitySense.Grains.State")]
    [InlineData(Parts.Grains, "CitySense.Grains.Domain.Areas", "CitySense.Grains.Domain.History")]
    [InlineData(Parts.Grains, "CitySense.Grains.Domain.History", "CitySense.Grains.State")]
    [InlineData(Parts.Ingest, "CitySense.Ingest.Mqtt", "CitySense.Ingest.Pipeline")]
    [InlineData(Parts.Ingest, "CitySense.Ingest.Decoding", "CitySense.Ingest.Batches")]
    [InlineData(Parts.Output, "CitySense.Output.Schema", "CitySense.Output.LineProtocol")]
    public void The_namespace_graph_sees_a_known_dependency(string part, string from, string to)
    {
        var graph = NamespaceGraph.Of(Parts.All.Single(p => p.Name == part).Assembly);

        Assert.Contains(to, graph.DependenciesOf(from));
    }

    [Fact]
    public void The_health_endpoint_and_the_operator_reports_know_no_part_by_type()
    {
        var endpoints = Types.InAssembly(typeof(global::CitySense.Api.CitySenseApi).Assembly)
            .That().HaveNameStartingWith(nameof(global::CitySense.Api.Endpoints.OperationsEndpoints))
            .Or().HaveNameStartingWith(nameof(global::CitySense.Api.Endpoints.SecurityEndpoints));

        var result = endpoints.ShouldNot().HaveDependencyOnAny(Parts.Ingest, Parts.Output, Parts.Live).GetResult();

        Assert.True(result.IsSuccessful, "Operator endpoints that use another part's types: " + string.Join(", ", result.FailingTypeNames ?? []));
        // Not vacuous: the selection holds the /health handler, which asks the health checks.
        Assert.NotEmpty(Types.InAssembly(typeof(global::CitySense.Api.CitySenseApi).Assembly)
            .That().HaveNameStartingWith(nameof(global::CitySense.Api.Endpoints.OperationsEndpoints))
            .And().HaveDependencyOn("Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService")
            .GetTypes());
    }

    [Fact]
    public void The_MQTT_edge_does_not_run_the_hierarchy()
    {
        var ingest = typeof(global::CitySense.Ingest.IngestRegistration).Assembly;

        var result = Types.InAssembly(ingest)
            .ShouldNot().HaveDependencyOnAny("CitySense.Contracts.Areas", "CitySense.Contracts.Devices", "Orleans.IGrainFactory", "Orleans.IGrainBase")
            .GetResult();

        Assert.True(result.IsSuccessful, "MQTT edge types that call grains: " + string.Join(", ", result.FailingTypeNames ?? []));
        // Not vacuous: the edge hands its batches to the router.
        Assert.NotEmpty(Types.InAssembly(ingest).That().HaveDependencyOn("CitySense.Contracts.Routing.IReadingRouter").GetTypes());
    }

    /// <summary>A rule that can fail: the API's live endpoints do use the Live part (allowed), and the check sees it.</summary>
    [Fact]
    public void The_type_rule_sees_a_known_use_of_another_part()
    {
        var result = Types.InAssembly(typeof(global::CitySense.Api.CitySenseApi).Assembly)
            .That().ResideInNamespace("CitySense.Api.Live")
            .ShouldNot().HaveDependencyOn(Parts.Live)
            .GetResult();

        Assert.False(result.IsSuccessful);
    }

    [Fact]
    public void Every_part_of_the_solution_has_rules()
    {
        var solution = File.ReadAllText(Path.Combine(Repository.Root, "CitySense.slnx"));
        var projects = Regex.Matches(solution, "Path=\"(src/[^\"]+\\.csproj)\"").Select(m => m.Groups[1].Value).Order().ToArray();

        Assert.Equal(Parts.All.Select(p => p.Project).Order().ToArray(), projects);
    }
}
