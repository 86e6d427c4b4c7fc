using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CitySense.Ingest.Security;

/// <summary>
/// Authentication and topic ACL of the embedded broker, as MQTTnet.Server event handlers. With no credentials file
/// (<see cref="CredentialStore.Enabled"/> false) every client is let through, as the loopback demo needs.
/// </summary>
public sealed class BrokerAccessControl(CredentialStore credentials, SecurityLog log)
{
    public bool Enabled => credentials.Enabled;

    public void Attach(MqttServer server)
    {
        if (!credentials.Enabled)
        {
            return;
        }

        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscription;
    }

    /// <summary>False (and the publish refused with Not authorized) when the client's scope does not cover the topic.</summary>
    public bool AllowPublish(InterceptingPublishEventArgs e)
    {
        if (!credentials.Enabled)
        {
            return true;
        }

        var topic = e.ApplicationMessage.Topic;
        var credential = credentials.Find(e.UserName);
        if (credential is not null && TopicAcl.MayPublish(credential, topic))
        {
            return true;
        }

        e.ProcessPublish = false;
        e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        e.Response.ReasonString = "topic outside the client's scope";
        log.Record(SecurityReason.PublishDenied, e.ClientId, e.UserName, null, topic,
            credential is null ? "the user's credential was revoked" : $"scope is {credential.Scope}");
        return false;
    }

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        // An MQTT 5 client that sent no client id was assigned its user name by the broker's first handler.
        var clientId = string.IsNullOrEmpty(e.ClientId) ? e.AssignedClientIdentifier : e.ClientId;
        var result = await credentials.AuthenticateAsync(e.UserName, e.RawPassword ?? [], clientId, e.CancellationToken);
        if (result.Succeeded)
        {
            e.ReasonCode = MqttConnectReasonCode.Success;
            return;
        }

        e.ReasonCode = result.Failure switch
        {
            SecurityReason.ClientIdNotOwned => MqttConnectReasonCode.ClientIdentifierNotValid,
            SecurityReason.MissingCredentials => MqttConnectReasonCode.NotAuthorized,
            _ => MqttConnectReasonCode.BadUserNameOrPassword,
        };
        log.Record(result.Failure, e.ClientId, e.UserName, e.RemoteEndPoint?.ToString(), null, result.Failure switch
        {
            SecurityReason.MissingCredentials => "no user name or password",
            SecurityReason.UnknownUser => "no such user in the credentials file",
            SecurityReason.ClientIdNotOwned => "the client id must be the user name (or user:suffix)",
            _ => "wrong secret",
        });
    }

    private Task InterceptSubscription(InterceptingSubscriptionEventArgs e)
    {
        var filter = e.TopicFilter.Topic;
        var credential = credentials.Find(e.UserName);
        if (credential is not null && TopicAcl.MaySubscribe(credential, filter))
        {
            return Task.CompletedTask;
        }

        e.ProcessSubscription = false;
        e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        log.Record(SecurityReason.SubscribeDenied, e.ClientId, e.UserName, null, filter,
            credential is null ? "the user's credential was revoked" : $"scope is {credential.Scope}");
        return Task.CompletedTask;
    }
}
