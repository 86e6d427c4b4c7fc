using CitySense.Workload;

namespace CitySense.LoadGenerator.Options;

/// <summary>Every setting of the load generator; see <see cref="Usage"/>.</summary>
public sealed record LoadOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 1883;
    // A city's shape by default (issue 16): 100 devices a community, ten communities a district, kinds in a city's mix.
    public int Devices { get; init; } = 10_000;
    public int Districts { get; init; } = 10;
    public int Communities { get; init; } = 100;
    public string[] Kinds { get; init; } = SimulatedCity.CityKinds;

    /// <summary>Readings per second over all publishers; 0 = as fast as the publishers go.</summary>
    public double Rate { get; init; }
    public bool Gateway { get; init; }
    public int GatewaySize { get; init; } = 100;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Publish until every device has sent one reading (a gateway message of a community's devices counts for each of
    /// them), then stop, or at --duration if that comes first: a fill that applies the same readings every run.
    /// </summary>
    public bool Once { get; init; }
    public int Qos { get; init; }
    public int Publishers { get; init; } = 4;

    /// <summary>Publishes awaited concurrently per connection (QoS 1: PUBACKs outstanding).</summary>
    public int InFlight { get; init; } = 1;
    public int Seed { get; init; } = 42;
    public string? ReportJson { get; init; }

    /// <summary>Subscriber and watcher: stop this long after the last message (or increase) once something arrived.</summary>
    public TimeSpan IdleExit { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Subscriber and watcher: --idle-exit is not applied before this much time has passed (the publisher's run).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.Zero;
    public string TopicFilter { get; init; } = "city/#";
    public string? HealthUrl { get; init; }
    public bool Quiet { get; init; }

    public int ReadingsPerMessage => Gateway ? GatewaySize : 1;

    public static LoadOptions Parse(Arguments a) => new()
    {
        Host = a.String("host", "127.0.0.1"),
        Port = a.Int("port", 1883, 1),
        Devices = a.Int("devices", 10_000, 1),
        Districts = a.Int("districts", 10, 1),
        Communities = a.Int("communities", 100, 1),
        Kinds = SimulatedCity.ParseKinds(a.String("kinds", "city")),
        Rate = a.Double("rate", 0),
        Gateway = a.String("mode", "single") switch
        {
            "single" => false,
            "gateway" => true,
            var m => throw new ArgumentException($"--mode is '{m}': single or gateway."),
        },
        GatewaySize = a.Int("gateway-size", 100, 1),
        Duration = a.Duration("duration", TimeSpan.FromSeconds(10)),
        Once = a.Flag("once"),
        Qos = a.Int("qos", 0) is var q and (0 or 1) ? q : throw new ArgumentException("--qos is 0 or 1."),
        Publishers = a.Int("publishers", 4, 1),
        InFlight = a.Int("inflight", 1, 1),
        Seed = a.Int("seed", 42),
        ReportJson = a.OptionalString("report-json"),
        IdleExit = a.Duration("idle-exit", TimeSpan.FromSeconds(3)),
        Settle = a.Duration("settle", TimeSpan.Zero),
        TopicFilter = a.String("topic", "city/#"),
        HealthUrl = a.OptionalString("watch-health"),
        Quiet = a.Flag("quiet"),
    };

    public const string Usage = """
        citysense-loadgen: real MQTT load for CitySense, and the baselines it is compared with.

        Publish (default):
          --host 127.0.0.1 --port 1883        broker (mosquitto, or CitySense's embedded broker)
          --devices 10000 --districts 10 --communities 100 (in the whole city) --kinds city|all|water,heat,gas,env,...
            (city: water 40 %, heat 25 %, gas 20 %, community sensors 15 %; all: the seven kinds in equal shares)
          --mode single|gateway               one reading per message, or gateway arrays of --gateway-size (100) readings
          --rate 0                            readings/s over all publishers; 0 = as fast as possible
          --duration 10                       seconds (or hh:mm:ss)
          --once                              stop once every device has sent a reading (or at --duration)
          --qos 0|1                           QoS 1: latency is publish -> PUBACK
          --publishers 4                      MQTT connections
          --inflight 1                        publishes awaited concurrently per connection
          --seed 42 --report-json FILE --quiet
        Count-only subscriber (the baseline: what a bare MQTTnet client receives):
          --count-only-subscriber [--host --port --qos 1 --topic city/# --duration 600 --idle-exit 3 --settle 0 --report-json FILE]
        Watch a running CitySense (readingsApplied from GET /health, as a rate):
          --watch-health http://127.0.0.1:5080 [--duration 600 --idle-exit 3 --settle 0 --report-json FILE]
        Receivers stop --idle-exit seconds after the last arrival (or increase), but never before --settle seconds.
        Progress is printed once per second; a report at the end.
        """;
}
