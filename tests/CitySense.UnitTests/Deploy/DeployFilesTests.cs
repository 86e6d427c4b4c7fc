using System.Text.Json;
using CitySense.Silo.Configuration;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace CitySense.UnitTests.Deploy;

/// <summary>
/// deploy/ cannot be run here (no container engine), so CI parses every file and checks that the pieces fit together:
/// names that must match, paths that must exist, settings the silo accepts.
/// </summary>
public sealed class DeployFilesTests
{
    private static readonly string Root = Repository.Root;

    [Fact]
    public void The_dockerfile_publishes_the_silo_and_runs_it()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "deploy", "Dockerfile"));

        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", dockerfile);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", dockerfile);
        Assert.Contains("dotnet publish src/Silo/CitySense.Silo.csproj", dockerfile);
        // ReadyToRun needs a runtime identifier; the image's architecture picks it.
        Assert.Contains("-p:PublishReadyToRun=true", dockerfile);
        Assert.Contains("-r \"$rid\" --self-contained false", dockerfile);
        Assert.True(File.Exists(Path.Combine(Root, "src", "Silo", "CitySense.Silo.csproj")));
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"CitySense.Silo.dll\"]", dockerfile);
    }

    [Fact]
    public void The_compose_file_has_a_broker_influxdb_redis_and_two_silos_whose_settings_the_silo_accepts()
    {
        var compose = Yaml(Path.Combine(Root, "deploy", "compose", "docker-compose.yml"));
        var services = Map(compose["services"]);

        Assert.Equal(["broker", "influxdb", "redis", "silo-1", "silo-2"], services.Keys.Order());
        var clientIds = new HashSet<string>();
        foreach (var silo in new[] { "silo-1", "silo-2" })
        {
            var service = Map(services[silo]);
            var build = Map(service["build"]);
            Assert.True(File.Exists(Path.Combine(Root, "deploy", "compose", (string)build["context"], (string)build["dockerfile"])));
            var environment = Map(service["environment"]).ToDictionary(e => e.Key, e => (string?)e.Value?.ToString());
            Assert.Equal("Redis", environment["Orleans__Provider"]);
            Assert.True(clientIds.Add(environment["Mqtt__ClientId"]!), "each silo has its own MQTT client id");
            Assert.Empty(ConfigurationValidator.Validate(FromEnvironment(environment)));
        }

        var broker = Map(services["broker"]);
        var config = ((string)List(broker["volumes"])[0]).Split(':')[0];
        Assert.True(File.Exists(Path.Combine(Root, "deploy", "compose", config)));
    }

    [Fact]
    public void The_kubernetes_manifests_fit_together()
    {
        var folder = Path.Combine(Root, "deploy", "k8s");
        var kustomization = Yaml(Path.Combine(folder, "kustomization.yaml"));
        var documents = List(kustomization["resources"]).Select(r => Yaml(Path.Combine(folder, (string)r))).ToList();
        var byKind = documents.ToDictionary(d => (string)d["kind"]);
        Assert.Equal(["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Service"], byKind.Keys.Order());

        var deployment = byKind["Deployment"];
        var deploymentName = (string)Map(deployment["metadata"])["name"];
        var template = Map(Map(deployment["spec"])["template"]);
        var podLabels = Map(Map(template["metadata"])["labels"]);
        var container = Map(List(Map(template["spec"])["containers"])[0]);
        Assert.Equal("/health", Map(Map(container["readinessProbe"])["httpGet"])["path"]);
        var env = List(container["env"]).Select(Map).ToDictionary(e => (string)e["name"]);
        Assert.Equal("status.podIP", Map(Map(env["Orleans__AdvertisedAddress"]["valueFrom"])["fieldRef"])["fieldPath"]);

        // Selectors of the Service and the PodDisruptionBudget pick the silo pods; the autoscaler scales the Deployment.
        Assert.All(Map(Map(byKind["Service"]["spec"])["selector"]), l => Assert.Equal(l.Value, podLabels[l.Key]));
        Assert.All(Map(Map(Map(byKind["PodDisruptionBudget"]["spec"])["selector"])["matchLabels"]), l => Assert.Equal(l.Value, podLabels[l.Key]));
        Assert.Equal(deploymentName, Map(Map(byKind["HorizontalPodAutoscaler"]["spec"])["scaleTargetRef"])["name"]);

        // The ConfigMap holds settings the silo accepts (secrets come from the Secret, as in secret.example.yaml).
        var settings = Map(byKind["ConfigMap"]["data"]).ToDictionary(e => e.Key, e => (string?)e.Value?.ToString());
        settings["Orleans__Redis"] = "redis:6379";
        Assert.Empty(ConfigurationValidator.Validate(FromEnvironment(settings)));
    }

    [Fact]
    public void The_grafana_dashboard_queries_only_measurements_the_schema_documents()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "deploy", "grafana", "citysense-dashboard.json")));
        var schema = File.ReadAllText(Path.Combine(Root, "docs", "influx-schema.md"));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();

        Assert.NotEmpty(panels);
        foreach (var panel in panels)
        {
            var query = panel.GetProperty("targets")[0].GetProperty("query").GetString()!;
            var measurement = query.Split("r._measurement == \"")[1].Split('"')[0];
            var field = query.Split("r._field == \"")[1].Split('"')[0];
            Assert.Contains(measurement, schema);
            Assert.Contains($"`{field}`", schema);
        }
    }

    private static IConfiguration FromEnvironment(IReadOnlyDictionary<string, string?> environment) =>
        new ConfigurationBuilder().AddInMemoryCollection(environment.Select(e => new KeyValuePair<string, string?>(e.Key.Replace("__", ":"), e.Value))).Build();

    private static Dictionary<string, object> Yaml(string path)
    {
        using var reader = new StringReader(File.ReadAllText(path));
        // MergingParser: the compose file shares the silos' settings with a YAML anchor and merge key.
        return Map(new DeserializerBuilder().Build().Deserialize<object>(new MergingParser(new Parser(reader)))!);
    }

    private static Dictionary<string, object> Map(object node) =>
        ((Dictionary<object, object>)node).ToDictionary(e => (string)e.Key, e => e.Value);

    private static List<object> List(object node) => (List<object>)node;
}
