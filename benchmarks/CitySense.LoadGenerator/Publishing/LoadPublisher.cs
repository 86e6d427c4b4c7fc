using System.Diagnostics;
using CitySense.LoadGenerator.Measurement;
using CitySense.LoadGenerator.Options;
using CitySense.Workload;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CitySense.LoadGenerator.Publishing;

/// <summary>
/// Publishes the simulated city over --publishers MQTT connections, each with --inflight publish loops. Single mode:
/// each device's reading on its own topic, devices in turn; gateway mode: one community's readings per message.
/// Readings carry the wall clock as event time, so CitySense accepts them (no future timestamps).
/// </summary>
public sealed class LoadPublisher(LoadOptions options, TextWriter output)
{
    private readonly PublishCounters _counters = new();

    public async Task<PublishReport> RunAsync(CancellationToken cancellationToken)
    {
        var city = SimulatedCity.Build(options.Devices, options.Districts, options.Communities, options.Kinds, options.Seed);
        city.StartCountersAt(DateTimeOffset.UtcNow);
        var runId = Guid.NewGuid().ToString("N")[..8];
        var clients = new IMqttClient[options.Publishers];
        for (var p = 0; p < clients.Length; p++)
        {
            clients[p] = new MqttClientFactory().CreateMqttClient();
            await clients[p].ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer(options.Host, options.Port)
                .WithClientId($"citysense-loadgen-{runId}-{p}")
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithCleanStart()
                .WithTimeout(TimeSpan.FromSeconds(30))
                .Build(), cancellationToken);
        }

        var loops = options.Publishers * options.InFlight;
        var histograms = Enumerable.Range(0, loops).Select(_ => new LatencyHistogram()).ToArray();
        // Messages per second per loop; 0 = unpaced.
        var loopRate = options.Rate > 0 ? options.Rate / options.ReadingsPerMessage / loops : 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var usage = ProcessUsage.Start();
        var clock = Stopwatch.StartNew();
        var startedAt = WallClock.NowUnixMs();
        stop.CancelAfter(options.Duration);

        // --once: rounds over a loop's share after which each of its devices has sent a reading; 0 = until --duration.
        var rounds = options.Once ? city.RoundsToReachEveryDevice(options.Gateway ? options.GatewaySize : null) : 0;
        var tasks = new Task[loops];
        for (var l = 0; l < loops; l++)
        {
            var loop = l;
            tasks[loop] = Task.Run(() => LoopAsync(clients[loop % options.Publishers], city, loop, loops, loopRate, rounds, histograms[loop], stop.Token), CancellationToken.None);
        }

        var progress = ProgressAsync(clock, stop.Token);
        await Task.WhenAll(tasks);
        // With --once the loops may end before --duration: so does the progress line.
        await stop.CancelAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        var generator = usage.Stop(clock.Elapsed);
        await progress;

        foreach (var client in clients)
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            }

            client.Dispose();
        }

        var all = new LatencyHistogram();
        foreach (var h in histograms)
        {
            all.Add(h);
        }

        return new PublishReport(
            options.Gateway ? "gateway" : "single",
            options.Qos,
            options.Publishers,
            options.InFlight,
            options.ReadingsPerMessage,
            options.Rate,
            startedAt,
            seconds,
            _counters.Messages,
            _counters.Readings,
            _counters.Failures,
            _counters.Messages / seconds,
            _counters.Readings / seconds,
            options.Qos == 1 ? "PublishAsync until PUBACK" : "PublishAsync until the packet is written (QoS 0 has no acknowledgement)",
            new LatencyReport(all.Count, all.PercentileMicroseconds(0.5), all.PercentileMicroseconds(0.9), all.PercentileMicroseconds(0.99),
                all.PercentileMicroseconds(0.999), all.MaxTicks * 1_000_000.0 / Stopwatch.Frequency),
            generator);
    }

    private async Task LoopAsync(IMqttClient client, SimulatedCity city, int loop, int loops, double rate, long rounds, LatencyHistogram latency, CancellationToken stop)
    {
        var random = new Random(options.Seed + loop);
        var qos = options.Qos == 1 ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce;
        var buffer = new byte[options.ReadingsPerMessage * (ReadingWriter.MaxReadingBytes + 1) + 2];
        var started = Stopwatch.GetTimestamp();
        long sent = 0;
        // Each loop owns a disjoint share of devices (single) or communities (gateway), so per-device order is kept.
        var shares = options.Gateway ? city.Communities.Count : city.Devices.Count;
        var next = loop % shares;
        long round = 0;
        while (!stop.IsCancellationRequested && (rounds == 0 || round < rounds))
        {
            if (rate > 0)
            {
                var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * rate);
                if (sent >= due)
                {
                    await Task.Delay(1, CancellationToken.None);
                    continue;
                }
            }

            string topic;
            int length;
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (options.Gateway)
            {
                var community = city.Communities[next];
                // Rounds through the community's devices, gateway-size readings at a time.
                var first = (int)(round * options.GatewaySize % community.Devices.Count);
                length = ReadingWriter.WriteGateway(buffer, community.Devices, first, options.GatewaySize, now, random);
                topic = community.GatewayTopic;
            }
            else
            {
                var device = city.Devices[next];
                length = ReadingWriter.Write(buffer, device, now, random, includeIdentity: false);
                topic = device.Topic;
            }

            next += loops;
            if (next >= shares)
            {
                next = loop % shares;
                round++;
            }

            // A fresh array per message: MQTTnet may still hold the payload when PublishAsync returns for QoS 0.
            var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(buffer.AsSpan(0, length).ToArray()).WithQualityOfServiceLevel(qos).Build();
            var t0 = Stopwatch.GetTimestamp();
            try
            {
                var result = await client.PublishAsync(message, CancellationToken.None);
                latency.Record(Stopwatch.GetTimestamp() - t0);
                if (result.IsSuccess)
                {
                    _counters.Published(options.ReadingsPerMessage);
                }
                else
                {
                    _counters.Failed();
                }
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
            {
                _counters.Failed();
                if (!client.IsConnected)
                {
                    await output.WriteLineAsync($"publisher loop {loop}: connection lost ({ex.Message}); stopping this loop");
                    return;
                }
            }

            sent++;
        }
    }

    private async Task ProgressAsync(Stopwatch clock, CancellationToken stop)
    {
        if (options.Quiet)
        {
            return;
        }

        long lastReadings = 0;
        var last = clock.Elapsed;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var now = clock.Elapsed;
                var readings = _counters.Readings;
                await output.WriteLineAsync(
                    $"[publish] t={now.TotalSeconds,5:F1}s sent {_counters.Messages,10} msgs {readings,11} readings  {(readings - lastReadings) / (now - last).TotalSeconds,10:F0} readings/s  failures {_counters.Failures}");
                lastReadings = readings;
                last = now;
            }
        }
        catch (OperationCanceledException)
        {
            // The run's end.
        }
    }
}
