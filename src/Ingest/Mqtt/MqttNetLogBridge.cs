using Microsoft.Extensions.Logging;
using MQTTnet.Diagnostics.Logger;

namespace CitySense.Ingest.Mqtt;

/// <summary>
/// MQTTnet's own warnings and errors (a failed keep-alive, a broken receive loop) in the silo's log, so a disconnect
/// always says why. Verbose and info messages are MQTTnet's tracing and stay out.
/// </summary>
public sealed class MqttNetLogBridge(ILogger logger) : IMqttNetLogger
{
    public bool IsEnabled => logger.IsEnabled(LogLevel.Warning);

    public void Publish(MqttNetLogLevel level, string source, string message, object[] parameters, Exception exception)
    {
        if (level < MqttNetLogLevel.Warning)
        {
            return;
        }

        var text = parameters is { Length: > 0 } ? string.Format(System.Globalization.CultureInfo.InvariantCulture, message, parameters) : message;
        logger.Log(level == MqttNetLogLevel.Error ? LogLevel.Error : LogLevel.Warning, exception, "MQTTnet {Source}: {Message}", source, text);
    }
}
