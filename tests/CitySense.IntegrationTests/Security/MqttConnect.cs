using MQTTnet;

namespace CitySense.IntegrationTests.Security;

/// <summary>Connection attempts that are expected to be refused, reported as the broker's CONNACK reason.</summary>
internal static class MqttConnect
{
    /// <summary>The CONNACK result, or null when the connection failed before one arrived (nothing listening, TLS refused).</summary>
    public static async Task<MqttClientConnectResultCode?> TryAsync(int port, string clientId, string? user, string? password, Action<MqttClientOptionsBuilder>? configure = null)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (user is not null)
        {
            builder.WithCredentials(user, password);
        }

        configure?.Invoke(builder);
        try
        {
            var result = await client.ConnectAsync(builder.Build());
            if (client.IsConnected)
            {
                await client.DisconnectAsync();
            }

            return result.ResultCode;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException ex)
        {
            // MQTTnet 5 names the CONNACK reason only in the message.
            return ParseReason(ex.Message);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            return null;
        }
    }

    private static MqttClientConnectResultCode? ParseReason(string message)
    {
        foreach (var code in Enum.GetValues<MqttClientConnectResultCode>())
        {
            if (message.Contains(code.ToString(), StringComparison.Ordinal))
            {
                return code;
            }
        }

        return null;
    }
}
