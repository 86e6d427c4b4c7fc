using System.Globalization;
using CitySense.Contracts.Configuration;
using CitySense.Contracts.Operations;
using CitySense.Ingest.Mqtt;
using CitySense.Ingest.Pipeline;
using CitySense.Ingest.Settings;
using CitySense.Live;
using CitySense.Output.Writing;
using CitySense.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Metadata;
using Orleans.Placement;
using Orleans.Runtime;

namespace CitySense.UnitTests.Hosting;

/// <summary>The host as the parts compose it: one call per part, their checks, their health checks, their order.</summary>
public sealed class HostCompositionTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("citysense-host-").FullName;

    [Fact]
    public void Mistakes_in_every_part_stop_the_host_before_it_is_built_and_are_named_together()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => Build(
            ("Orleans:Provider", "Cassandra"),
            ("Influx:Url", "ftp://x"),
            ("Indicators:Window", "0"),
            ("Live:AreaInterval", "soon"),
            ("Mqtt:Mode", "External")));

        Assert.Equal(
            ["Orleans:Provider", "Influx:Url", "Indicators:Window", "Live:AreaInterval", "Mqtt:Host"],
            error.Errors.Select(e => e[..e.IndexOf(' ', StringComparison.Ordinal)]).ToArray());
    }

    [Fact]
    public async Task The_grain_directory_caches_are_sized_for_a_city_not_for_Orleans_default_million()
    {
        await using var app = Build();

        // Orleans allocates each cache's dictionary for this many entries up front (benchmarks/RESULTS.md §57).
        Assert.Equal(100_000, app.Services.GetRequiredService<IOptions<Orleans.Configuration.GrainDirectoryOptions>>().Value.CacheSize);
    }

    [Fact]
    public async Task Hosted_services_start_output_live_Orleans_ingest_so_they_stop_in_the_reverse_order()
    {
        await using var app = Build();
        var services = app.Services.GetServices<IHostedService>().ToList();

        int IndexOf(Func<IHostedService, bool> match, string what)
        {
            var index = services.FindIndex(s => match(s));
            Assert.True(index >= 0, $"no hosted service for {what}");
            return index;
        }

        var output = IndexOf(s => s is BufferedLineSink, "the output");
        var live = IndexOf(s => s is StreamPublisher, "the live streams");
        var orleans = IndexOf(s => s.GetType().FullName!.StartsWith("Orleans.", StringComparison.Ordinal), "Orleans");
        var worker = IndexOf(s => s is IngestWorker, "the ingest worker");
        var edge = IndexOf(s => s is EmbeddedBroker, "the MQTT edge");

        Assert.True(output < live && live < orleans && orleans < worker && worker < edge,
            $"start order output {output}, live {live}, Orleans {orleans}, worker {worker}, edge {edge}");
    }

    [Fact]
    public async Task Health_has_one_check_per_section_registered_by_the_parts()
    {
        await using var app = Build();
        var registrations = app.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name);

        Assert.Equal([HealthSections.Output, HealthSections.Live, HealthSections.Mqtt, HealthSections.Ingest], registrations);
    }

    [Theory]
    [InlineData("Embedded", null, 0)]
    [InlineData("External", null, 20)]
    [InlineData("External", "00:00:00", 0)]
    [InlineData("Embedded", "00:00:00.005", 5)]
    public async Task The_batch_delay_defaults_by_mode_and_the_configuration_wins(string mode, string? delay, int expectedMs)
    {
        var settings = new List<(string, string)> { ("Mqtt:Mode", mode), ("Mqtt:Host", "127.0.0.1") };
        if (delay is not null)
        {
            settings.Add(("Ingest:BatchDelay", delay));
        }

        await using var app = Build([.. settings]);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), app.Services.GetRequiredService<IOptions<IngestOptions>>().Value.BatchDelay);
    }

    [Theory]
    [InlineData("Localhost", true)]
    [InlineData("Redis", false)]
    public async Task Grains_stay_on_the_single_silo_and_move_off_a_stopping_cluster_member(string provider, bool immovable)
    {
        await using var app = Build(("Orleans:Provider", provider), ("Orleans:Redis", "127.0.0.1:6379"));
        var district = app.Services.GetRequiredService<IClusterManifestProvider>().LocalGrainManifest.Grains[GrainType.Create("district")];

        // Orleans 10.4 moves a stopping silo's busy activations to another silo unless their type is immovable.
        var value = district.Properties.GetValueOrDefault(WellKnownGrainTypeProperties.Immovable);
        Assert.Equal(immovable ? ((byte)ImmovableKind.Any).ToString(CultureInfo.InvariantCulture) : null, value);
    }

    [Theory]
    [InlineData(null, typeof(ResourceOptimizedPlacement))]
    [InlineData("ResourceOptimized", typeof(ResourceOptimizedPlacement))]
    [InlineData("Random", typeof(RandomPlacement))]
    public async Task A_cluster_places_new_activations_by_the_configured_strategy(string? placement, Type expected)
    {
        var settings = new List<(string, string)> { ("Orleans:Provider", "Redis"), ("Orleans:Redis", "127.0.0.1:6379") };
        if (placement is not null)
        {
            settings.Add(("Orleans:Placement", placement));
        }

        await using var app = Build([.. settings]);

        // The strategy Orleans' resolver falls back to for every CitySense grain (none carries its own attribute).
        Assert.IsType(expected, app.Services.GetRequiredService<PlacementStrategy>());
    }

    [Fact]
    public void An_unknown_placement_is_named_before_the_host_is_built()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => Build(("Orleans:Placement", "Nearest")));

        Assert.StartsWith("Orleans:Placement is 'Nearest'", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 10)]
    [InlineData("00:00:45", 45)]
    public async Task The_live_streams_keep_updates_in_their_cache_for_the_configured_age(string? age, int expectedSeconds)
    {
        await using var app = age is null ? Build() : Build(("Live:StreamCacheAge", age));
        var eviction = app.Services.GetRequiredService<IOptionsMonitor<Orleans.Configuration.StreamCacheEvictionOptions>>()
            .Get(CitySense.Contracts.Live.LiveStreams.Provider);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), eviction.DataMaxAgeInCache);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), eviction.DataMinTimeInCache);
    }

    [Fact]
    public void A_stream_cache_age_under_a_second_is_named_before_the_host_is_built()
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => Build(("Live:StreamCacheAge", "00:00:00")));

        Assert.StartsWith("Live:StreamCacheAge is '00:00:00'", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is not a test failure.
        }
    }

    private WebApplication Build(params (string Key, string Value)[] settings) =>
        CitySenseHost.Build([], builder => builder.Configuration.AddInMemoryCollection(
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))
                .Append(new("Influx:DataPath", _data))
                .Append(new("Dashboard:Enabled", "false"))));
}
