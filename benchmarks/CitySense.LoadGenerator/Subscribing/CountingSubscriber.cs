using System.Buffers;
using System.Diagnostics;
using CitySense.LoadGenerator.Measurement;
using CitySense.LoadGenerator.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CitySense.LoadGenerator.Subscribing;

/// <summary>
/// The baseline CitySense is held against: a bare MQTTnet client subscribed like CitySense's external-broker client
/// (MQTT 5, QoS 1 subscription, Receive Maximum 2000) that only counts. Readings are counted without parsing: a
/// single-reading message is one reading, and in a gateway array every reading is the only object, so readings are
/// the '{' bytes.
/// </summary>
public sealed class CountingSubscriber(LoadOptions options, TextWriter output)
{
    private long _messages;
    private long _readings;
    private long _firstTicks;
    private long _lastTicks;

    public async Task<ReceiveReport> RunAsync(CancellationToken cancellationToken)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.CompareExchange(ref _firstTicks, now, 0);
            Volatile.Write(ref _lastTicks, now);
            Interlocked.Increment(ref _messages);
            Interlocked.Add(ref _readings, e.ApplicationMessage.Topic.Contains("/gateway/", StringComparison.Ordinal) ? Objects(e.ApplicationMessage.Payload) : 1);
            return Task.CompletedTask;
        };

        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId($"citysense-count-{Guid.NewGuid():N}")
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart()
            .WithReceiveMaximum(2000)
            .Build(), cancellationToken);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(options.TopicFilter, options.Qos == 1 ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce)
            .Build(), cancellationToken);
        // compare.sh starts the publisher once this line is printed.
        await output.WriteLineAsync($"[count] subscribed to {options.TopicFilter} on {options.Host}:{options.Port}");

        var usage = ProcessUsage.Start();
        var clock = Stopwatch.StartNew();
        var peak = await IdleLoop.RunAsync(options, output, "count", () => (Interlocked.Read(ref _messages), Interlocked.Read(ref _readings)),
            () => Volatile.Read(ref _lastTicks), clock, cancellationToken);
        var process = usage.Stop(clock.Elapsed);
        await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);

        var active = _firstTicks == 0 ? 0 : Stopwatch.GetElapsedTime(_firstTicks, _lastTicks).TotalSeconds;
        return new ReceiveReport("count-only MQTTnet subscriber", _messages, _readings, active,
            active > 0 ? _readings / active : 0, active > 0 ? _messages / active : 0, peak,
            _firstTicks == 0 ? 0 : WallClock.UnixMs(_firstTicks), _lastTicks == 0 ? 0 : WallClock.UnixMs(_lastTicks), process);
    }

    private static long Objects(in ReadOnlySequence<byte> payload)
    {
        long n = 0;
        foreach (var segment in payload)
        {
            n += segment.Span.Count((byte)'{');
        }

        return n;
    }
}
