using System.Globalization;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace CitySense.Ingest.Simulation;

/// <summary>
/// A small city that publishes real MQTT: water, heat and gas meters (the water meters of every community's first
/// half through a gateway), and env, smoke, gasleak and manhole sensors. Deterministic for a given seed.
/// </summary>
public sealed partial class CitySimulator(IOptions<SimulatorOptions> options, Mqtt.MqttEdgeStatus edge, TimeProvider time, ILogger<CitySimulator> logger) : BackgroundService
{
    private static readonly string[] CommunityKinds = ["env", "smoke", "gasleak", "manhole"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var devices = BuildCity(o);
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
        using var timer = new PeriodicTimer(o.Interval, time);
        do
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var gateway in devices.Where(d => d.ViaGateway).GroupBy(d => (d.District, d.Community)))
            {
                var json = new StringBuilder("[");
                foreach (var device in gateway)
                {
                    if (json.Length > 1) json.Append(',');
                    json.Append(Payload(device, now, random, includeIdentity: true, o.Interval.TotalHours));
                }

                json.Append(']');
                await PublishAsync(client, $"city/{gateway.Key.District}/{gateway.Key.Community}/gateway/gw-{gateway.Key.Community}", json.ToString(), stoppingToken);
            }

            foreach (var device in devices.Where(d => !d.ViaGateway))
            {
                await PublishAsync(client, device.Topic, Payload(device, now, random, includeIdentity: false, o.Interval.TotalHours), stoppingToken);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

    private static List<SimulatedDevice> BuildCity(SimulatorOptions o)
    {
        var devices = new List<SimulatedDevice>();
        var random = new Random(o.Seed);
        for (var d = 1; d <= o.Districts; d++)
        {
            var district = $"district-{d}";
            for (var c = 1; c <= o.CommunitiesPerDistrict; c++)
            {
                var community = $"c{d}{c:00}";
                for (var i = 1; i <= o.WaterMetersPerCommunity; i++)
                {
                    devices.Add(new SimulatedDevice(district, community, "water", $"w-{community}-{i:000}", viaGateway: i <= o.WaterMetersPerCommunity / 2) { Register = random.Next(100, 5000) });
                }

                for (var i = 1; i <= Math.Max(1, o.WaterMetersPerCommunity / 2); i++)
                {
                    devices.Add(new SimulatedDevice(district, community, "heat", $"h-{community}-{i:000}", false) { Register = random.Next(1000, 90000) });
                    devices.Add(new SimulatedDevice(district, community, "gas", $"g-{community}-{i:000}", false) { Register = random.Next(10, 3000) });
                }

                foreach (var kind in CommunityKinds)
                {
                    for (var i = 1; i <= 2; i++)
                    {
                        devices.Add(new SimulatedDevice(district, community, kind, $"{kind}-{community}-{i}", false));
                    }
                }
            }
        }

        return devices;
    }

    private static string Payload(SimulatedDevice device, long now, Random random, bool includeIdentity, double stepHours)
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
                device.Register += waterFlow * stepHours; // m³ = m³/h × h
                Add(b, "total", Math.Round(device.Register, 3)); Add(b, "flow", waterFlow); Add(b, "pressure", Math.Round(0.28 + random.NextDouble() * 0.06, 3));
                break;
            case "heat":
                var power = Math.Round(5 + random.NextDouble() * 20, 2);
                device.Register += power * stepHours; // kWh = kW × h
                var supply = Math.Round(65 + random.NextDouble() * 10, 1);
                Add(b, "energy", Math.Round(device.Register, 3)); Add(b, "power", power); Add(b, "flow", Math.Round(0.3 + random.NextDouble(), 3));
                Add(b, "supplyTemp", supply); Add(b, "returnTemp", Math.Round(supply - 15 - random.NextDouble() * 8, 1));
                break;
            case "gas":
                var gasFlow = Math.Round(random.NextDouble() * 0.8, 3);
                device.Register += gasFlow * stepHours;
                Add(b, "total", Math.Round(device.Register, 3)); Add(b, "flow", gasFlow); Add(b, "pressure", Math.Round(2.0 + random.NextDouble() * 0.4, 3));
                break;
            case "env":
                Add(b, "temperature", Math.Round(10 + random.NextDouble() * 15, 1)); Add(b, "humidity", Math.Round(30 + random.NextDouble() * 50, 1)); Add(b, "pm25", Math.Round(random.NextDouble() * 80, 1));
                break;
            case "smoke":
                Add(b, "smoke", random.NextDouble() < 0.002 ? 1 : 0); Add(b, "battery", Math.Round(80 + random.NextDouble() * 20, 0));
                break;
            case "gasleak":
                Add(b, "lel", Math.Round(random.NextDouble() * 3, 2));
                break;
            default:
                Add(b, "open", random.NextDouble() < 0.001 ? 1 : 0); Add(b, "level", Math.Round(random.NextDouble() * 0.5, 2));
                break;
        }

        return b.Append('}').ToString();
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

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Demo simulator could not publish to {Topic}: {Error}")]
    private partial void LogPublishFailed(string topic, string error);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Demo simulator waiting for mqtt://{Host}:{Port}: {Error}")]
    private partial void LogWaiting(string host, int port, string error);
}
