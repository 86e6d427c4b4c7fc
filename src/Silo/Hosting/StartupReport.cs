using CitySense.Api.Auth;
using CitySense.Ingest.Mqtt;
using CitySense.Output;
using Microsoft.Extensions.Options;
using CitySense.Ingest.Settings;
using CitySense.Output.Writing;

namespace CitySense.Silo.Hosting;

/// <summary>Says plainly, once, where data comes from and where it goes.</summary>
internal static partial class StartupReport
{
    public static void Log(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CitySense");
        var mqtt = app.Services.GetRequiredService<IOptions<MqttOptions>>().Value;
        var influx = app.Services.GetRequiredService<IOptions<InfluxOptions>>().Value;
        if (mqtt.Mode == MqttMode.Embedded)
        {
            LogEmbedded(logger, mqtt.BindAddress, mqtt.Port);
        }
        else
        {
            LogExternal(logger, mqtt.Host ?? string.Empty, mqtt.Port, mqtt.ClientId);
        }

        if (influx.UsesServer)
        {
            LogInflux(logger, influx.Url!, influx.Bucket);
        }
        else
        {
            LogNoInflux(logger, Path.GetFullPath(Path.Combine(influx.DataPath, "lineprotocol")));
        }

        // Key names only: keys themselves are never logged.
        var keys = app.Services.GetRequiredService<IOptions<ApiKeyOptions>>().Value.Keys;
        if (keys.Count == 0)
        {
            LogNoApiKeys(logger);
        }
        else
        {
            LogApiKeys(logger, keys.Count, string.Join(", ", keys.Select((k, i) => $"{k.Name ?? $"key {i}"} ({string.Join('+', k.Scopes)})")));
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "MQTT: embedded broker on {Address}:{Port}")]
    private static partial void LogEmbedded(ILogger logger, string address, int port);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "MQTT: external broker {Host}:{Port}, client id {ClientId}, QoS 1 persistent session")]
    private static partial void LogExternal(ILogger logger, string host, int port, string clientId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "InfluxDB: writing indicators to {Url}, bucket {Bucket}")]
    private static partial void LogInflux(ILogger logger, string url, string bucket);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "API: no API keys configured (Api:Keys): clients on loopback get every scope, every other client gets 401")]
    private static partial void LogNoApiKeys(ILogger logger);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "API: {Count} API keys: {Keys}")]
    private static partial void LogApiKeys(ILogger logger, int count, string keys);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "No Influx:Url configured: indicators go to line-protocol files under {Folder} (import them with 'influx write --precision ms --file <file>'); the API serves indicators as usual")]
    private static partial void LogNoInflux(ILogger logger, string folder);
}
