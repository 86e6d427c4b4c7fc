using System.Globalization;
using System.Text;
using CitySense.Contracts.Alarms;
using CitySense.Contracts.Indicators;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace CitySense.Ingest.Simulation;

/// <summary>
/// A small city that publishes real MQTT: water, heat and gas meters (the water meters of every community's first
/// half through a gateway), and env, smoke, gasleak and manhole sensors (each with a slowly draining battery).
/// It sends every metric a scenario of docs/scenarios.md reads, so every tile has a figure. Deterministic for a given seed. Its values
/// stay inside every alarm rule's band except during the incidents of its <see cref="IncidentSchedule"/>.
/// </summary>
public sealed partial class CitySimulator(
    IOptions<SimulatorOptions> options,
    IOptions<AlarmOptions> alarms,
    IOptions<LivenessOptions> liveness,
    Mqtt.MqttEdgeStatus edge,
    TimeProvider time,
    ILogger<CitySimulator> logger) : BackgroundService
{
    private static readonly string[] CommunityKinds = ["env", "smoke", "gasleak", "manhole"];

    /// <summary>Every this many readings a water meter reads no flow: nobody draws water all the time, so no meter trips the continuous-flow leak rule unless it leaks.</summary>
    private const int IdleEveryReadings = 4;

    /// <summary>% charge a sensor's battery loses per reading: at the demo's 5 s, 1 % in about 17 minutes.</summary>
    private const double BatteryDrainPerReading = 0.005;

    /// <summary>% charge at which the crew swaps a battery: above the low-batteries scenario's warning (20 %).</summary>
    private const double BatterySwappedAt = 25;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var devices = BuildCity(o);
        var schedule = o.Incidents ? Schedule(o, alarms.Value, liveness.Value) : null;
        var random = new Random(o.Seed);
        using var client = new MqttClientFactory().CreateMqttClient();
        var port = o.Port ?? PortOf(edge.Endpoint) ?? 1883;
        var clientBuilder = new MqttClientOptionsBuilder().WithTcpServer(o.Host, port).WithClientId(o.Username ?? "citysense-demo-simulator");
        if (!string.IsNullOrEmpty(o.Username))
        {
            clientBuilder.WithCredentials(o.Username, o.Password);
        }

        var clientOptions = clientBuilder.Build();

        while (!stoppingToken.IsCancellationRequested && !client.IsConnected)
        {
            try
            {
                await client.ConnectAsync(clientOptions, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogWaiting(o.Host, port, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }

        LogStarted(devices.Count, o.Districts, o.Districts * o.CommunitiesPerDistrict, o.Host, port);
        var started = time.GetTimestamp();
        var announced = -1L;
        using var timer = new PeriodicTimer(o.Interval, time);
        do
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var incidents = schedule?.ActiveAt(time.GetElapsedTime(started)) ?? [];
            foreach (var incident in incidents.Where(i => i.Number > announced))
            {
                LogIncident(incident.Kind, incident.District, incident.Community, incident.Devices.Count == 0 ? "every device" : string.Join(", ", incident.Devices), (incident.End - incident.Start).TotalSeconds);
                announced = incident.Number;
            }

            foreach (var gateway in devices.Where(d => d.ViaGateway).GroupBy(d => (d.District, d.Community)))
            {
                if (Offline(incidents, gateway.Key.District, gateway.Key.Community))
                {
                    continue;
                }

                var json = new StringBuilder("[");
                foreach (var device in gateway)
                {
                    if (json.Length > 1) json.Append(',');
                    json.Append(Payload(device, IncidentOf(incidents, device), now, random, includeIdentity: true, o.Interval.TotalHours));
                }

                json.Append(']');
                await PublishAsync(client, $"city/{gateway.Key.District}/{gateway.Key.Community}/gateway/gw-{gateway.Key.Community}", json.ToString(), stoppingToken);
            }

            foreach (var device in devices.Where(d => !d.ViaGateway))
            {
                if (Offline(incidents, device.District, device.Community))
                {
                    continue;
                }

                await PublishAsync(client, device.Topic, Payload(device, IncidentOf(incidents, device), now, random, includeIdentity: false, o.Interval.TotalHours), stoppingToken);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

    /// <summary>
    /// The schedule of this city, its incidents long enough to trip the rules as configured: a leak outlasts the
    /// continuous flow that raises it, an offline community the silence after which its devices are offline, each by a
    /// few readings and a liveness check.
    /// </summary>
    internal static IncidentSchedule Schedule(SimulatorOptions o, AlarmOptions alarms, LivenessOptions liveness)
    {
        var margin = o.Interval * 3;
        var silence = TimeSpan.FromTicks(Math.Max((long)(liveness.IntervalsOfSilence * o.Interval.Ticks), liveness.MinimumSilence.Ticks));
        var timing = new IncidentTiming(
            o.FirstIncidentAfter,
            o.IncidentEvery,
            o.IncidentLasts,
            LeakLasts: Max(o.IncidentLasts, alarms.ContinuousFlow + margin),
            BurstLasts: Min(o.IncidentLasts, alarms.ContinuousFlow / 2),
            OfflineLasts: Max(o.IncidentLasts, silence + liveness.CheckInterval + margin));
        return new IncidentSchedule(Communities(o), o.WaterMetersPerCommunity, timing);
    }

    /// <summary>The simulated city's communities, district by district.</summary>
    public static List<(string District, string Community)> Communities(SimulatorOptions o)
    {
        var communities = new List<(string, string)>();
        for (var d = 1; d <= o.Districts; d++)
        {
            for (var c = 1; c <= o.CommunitiesPerDistrict; c++)
            {
                communities.Add((SimulatedNames.District(d), SimulatedNames.Community(d, c)));
            }
        }

        return communities;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static bool Offline(IReadOnlyList<Incident> incidents, string district, string community) =>
        incidents.Any(i => i.Kind == IncidentKind.CommunityOffline && i.District == district && i.Community == community);

    private static IncidentKind? IncidentOf(IReadOnlyList<Incident> incidents, SimulatedDevice device)
    {
        foreach (var incident in incidents)
        {
            if (incident.Devices.Count > 0 && incident.Affects(device.District, device.Community, device.Id))
            {
                return incident.Kind;
            }
        }

        return null;
    }

    private static List<SimulatedDevice> BuildCity(SimulatorOptions o)
    {
        var devices = new List<SimulatedDevice>();
        var random = new Random(o.Seed);
        for (var d = 1; d <= o.Districts; d++)
        {
            var district = SimulatedNames.District(d);
            for (var c = 1; c <= o.CommunitiesPerDistrict; c++)
            {
                var community = SimulatedNames.Community(d, c);
                for (var i = 1; i <= o.WaterMetersPerCommunity; i++)
                {
                    devices.Add(new SimulatedDevice(district, community, "water", SimulatedNames.Water(community, i), viaGateway: i <= o.WaterMetersPerCommunity / 2) { Register = random.Next(100, 5000) });
                }

                for (var i = 1; i <= Math.Max(1, o.WaterMetersPerCommunity / 2); i++)
                {
                    devices.Add(new SimulatedDevice(district, community, "heat", SimulatedNames.Heat(community, i), false) { Register = random.Next(1000, 90000) });
                    devices.Add(new SimulatedDevice(district, community, "gas", SimulatedNames.Gas(community, i), false) { Register = random.Next(10, 3000) });
                }

                foreach (var kind in CommunityKinds)
                {
                    for (var i = 1; i <= 2; i++)
                    {
                        // A sensor's register is its battery charge (%): each starts somewhere in its life.
                        devices.Add(new SimulatedDevice(district, community, kind, SimulatedNames.Sensor(kind, community, i), false) { Register = random.Next(40, 101) });
                    }
                }
            }
        }

        return devices;
    }

    private static string Payload(SimulatedDevice device, IncidentKind? incident, long now, Random random, bool includeIdentity, double stepHours)
    {
        device.Seq++;
        var b = new StringBuilder(160).Append('{');
        if (includeIdentity)
        {
            b.Append("\"device\":\"").Append(device.Id).Append("\",\"kind\":\"").Append(device.Kind).Append("\",");
        }

        b.Append("\"ts\":").Append(now).Append(",\"seq\":").Append(device.Seq);
        switch (device.Kind)
        {
            case "water":
                var waterFlow = Math.Round(random.NextDouble() * 1.2, 3);
                var waterPressure = Math.Round(0.28 + random.NextDouble() * 0.06, 3);
                if (incident == IncidentKind.NightLeak)
                {
                    // A trickle that never stops: above Alarms:NightFlowThreshold, far below a household's draw.
                    waterFlow = 0.12;
                }
                else if (incident == IncidentKind.Burst)
                {
                    // Many times any meter's baseline (at most 1.2 m³/h here), and the pressure falls below its band.
                    waterFlow = 9.5;
                    waterPressure = 0.09;
                }
                else if (device.Seq % IdleEveryReadings == 0)
                {
                    waterFlow = 0;
                }

                device.Register += waterFlow * stepHours; // m³ = m³/h × h
                Add(b, "total", Math.Round(device.Register, 3)); Add(b, "flow", waterFlow); Add(b, "pressure", waterPressure);
                break;
            case "heat":
                var power = Math.Round(5 + random.NextDouble() * 20, 2);
                device.Register += power * stepHours; // kWh = kW × h
                var supply = Math.Round(65 + random.NextDouble() * 10, 1);
                if (incident == IncidentKind.HeatDeltaTDrop)
                {
                    // Cooler supply, so the return (close to it) stays under Alarms:HeatMaxReturnTemp: one alarm per incident.
                    supply = Math.Round(55 + random.NextDouble() * 3, 1);
                }

                Add(b, "energy", Math.Round(device.Register, 3)); Add(b, "power", power); Add(b, "flow", Math.Round(0.3 + random.NextDouble(), 3));
                // ΔT drop: the return comes back nearly as hot as it left (a bypass, a fouled exchanger), below Alarms:HeatMinDeltaT.
                var back = incident == IncidentKind.HeatDeltaTDrop ? Math.Round(supply - 2.5, 1) : Math.Round(supply - 15 - random.NextDouble() * 8, 1);
                Add(b, "supplyTemp", supply); Add(b, "returnTemp", back);
                break;
            case "gas":
                var gasFlow = Math.Round(random.NextDouble() * 0.8, 3);
                device.Register += gasFlow * stepHours;
                Add(b, "total", Math.Round(device.Register, 3)); Add(b, "flow", gasFlow); Add(b, "pressure", Math.Round(2.0 + random.NextDouble() * 0.4, 3));
                break;
            case "env":
                // A clean city: PM2.5 and noise stay below the air-quality and noise scenarios' warnings (35 µg/m³, 65 dB(A)).
                Add(b, "temperature", Math.Round(10 + random.NextDouble() * 15, 1)); Add(b, "humidity", Math.Round(30 + random.NextDouble() * 50, 1));
                // Smog: well above the air-quality scenario's alarm (75 µg/m³) on every env sensor of the community, so its mean is too.
                var pm25 = incident == IncidentKind.AirPollution ? 90 + random.NextDouble() * 30 : 5 + random.NextDouble() * 20;
                Add(b, "pm25", Math.Round(pm25, 1)); Add(b, "noise", Math.Round(45 + random.NextDouble() * 15, 1));
                break;
            case "smoke":
                Add(b, "smoke", incident == IncidentKind.Smoke ? 1 : 0);
                break;
            case "gasleak":
                Add(b, "lel", incident == IncidentKind.GasLeak ? 32 : Math.Round(random.NextDouble() * 3, 2));
                break;
            default:
                Add(b, "open", 0); Add(b, "level", Math.Round(random.NextDouble() * 0.5, 2));
                break;
        }

        if (device.Kind is "env" or "smoke" or "gasleak" or "manhole")
        {
            Add(b, "battery", Math.Round(Drain(device), 1));
        }

        return b.Append('}').ToString();
    }

    /// <summary>
    /// A sensor's battery (%), a little lower every reading; the maintenance crew swaps it at <see cref="BatterySwappedAt"/>,
    /// above the low-batteries scenario's warning (20 %), so the demo's batteries are never a false alarm.
    /// </summary>
    private static double Drain(SimulatedDevice device)
    {
        device.Register -= BatteryDrainPerReading;
        if (device.Register < BatterySwappedAt)
        {
            device.Register = 100;
        }

        return device.Register;
    }

    private static void Add(StringBuilder b, string name, double value) =>
        b.Append(",\"").Append(name).Append("\":").Append(value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>
    /// One QoS 1 publish. A failure (the broker stopping first at shutdown, a PUBACK slower than MQTTnet's timeout) costs
    /// the demo one reading, never the host: an exception out of a background service stops the whole silo.
    /// </summary>
    private async Task PublishAsync(IMqttClient client, string topic, string payload, CancellationToken cancellationToken)
    {
        try
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                LogPublishFailed(topic, ex.Message);
            }
        }
    }

    private static int? PortOf(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Port > 0 ? uri.Port : null;

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Demo simulator: {Devices} devices in {Districts} districts and {Communities} communities publishing to mqtt://{Host}:{Port}")]
    private partial void LogStarted(int devices, int districts, int communities, string host, int port);

    [LoggerMessage(EventId = 503, Level = LogLevel.Information, Message = "Demo incident: {Kind} in {District}/{Community} ({Devices}) for {Seconds} s")]
    private partial void LogIncident(IncidentKind kind, string district, string community, string devices, double seconds);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Demo simulator could not publish to {Topic}: {Error}")]
    private partial void LogPublishFailed(string topic, string error);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Demo simulator waiting for mqtt://{Host}:{Port}: {Error}")]
    private partial void LogWaiting(string host, int port, string error);
}
