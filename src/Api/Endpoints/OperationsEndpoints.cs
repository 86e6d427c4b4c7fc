using CitySense.Ingest.Mqtt;
using CitySense.Ingest.Pipeline;
using CitySense.Ingest.Rejections;
using CitySense.Live;
using CitySense.Output.Writing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans.Runtime;

namespace CitySense.Api.Endpoints;

/// <summary>What operators watch: rejected inputs and the health of every stage.</summary>
public static class OperationsEndpoints
{
    public static RouteGroupBuilder MapOperationsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/rejections", (RejectionLog log) => TypedResults.Ok(new RejectionsReport(log.Total, log.ByReason(), log.ByCommunity(), log.Recent())))
            .WithName("GetRejections")
            .WithSummary("Rejected inputs: counts per reason and per community, and the most recent ones");
        api.MapGet("/cluster", async (IGrainFactory grains) =>
        {
            var management = grains.GetGrain<IManagementGrain>(0);
            var hosts = await management.GetHosts(onlyActive: false);
            var active = hosts.Where(h => h.Value == SiloStatus.Active).Select(h => h.Key).ToArray();
            var activations = new Dictionary<SiloAddress, int>();
            try
            {
                var stats = await management.GetRuntimeStatistics(active);
                for (var i = 0; i < active.Length; i++)
                {
                    activations[active[i]] = stats[i].ActivationCount;
                }
            }
            catch (Exception)
            {
                // A silo that does not answer yet (just died, not yet declared dead): its count stays unknown.
            }

            return TypedResults.Ok(hosts
                .Select(h => new SiloReport(h.Key.ToString(), h.Value.ToString()) { Activations = activations.TryGetValue(h.Key, out var n) ? n : null })
                .OrderBy(s => s.Address, StringComparer.Ordinal).ToArray());
        }).WithName("GetCluster").WithSummary("The silos of the cluster and their status");
        return api;
    }

    public static IEndpointRouteBuilder MapHealthEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (MqttEdgeStatus mqtt, IngestStats ingest, IngestPipeline pipeline, BufferedLineSink sink, RejectionLog rejections, LiveStats live, LiveHub hub) =>
        {
            var sinkStatus = sink.Status;
            var status = !mqtt.Connected ? "unhealthy"
                : sinkStatus.LastError is not null || sinkStatus.LinesDropped > 0 || sinkStatus.LinesSpilled > 0 || ingest.DroppedWithin(TimeSpan.FromMinutes(1)) ? "degraded"
                : "healthy";
            var report = new HealthReport(
                status,
                new MqttHealth(mqtt.Mode.ToString(), mqtt.Endpoint, mqtt.Connected, mqtt.Connections, mqtt.LastError, mqtt.Since, mqtt.Disconnects, mqtt.LastDisconnect),
                new IngestHealth(ingest.Messages, ingest.MessagesApplied, ingest.ReadingsDecoded, ingest.ReadingsApplied, rejections.Total,
                    ingest.Batches, ingest.FailedBatches, pipeline.QueuedBatches, ingest.DroppedMessages),
                sinkStatus,
                new LiveHealth(live.Published, live.FeedDropped, live.StreamEvents, live.StreamDropped, live.MqttMessages, live.MqttDropped, hub.Subscribers.Count, live.SubscriberDropped));
            return Results.Json(report, statusCode: status == "unhealthy" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        }).WithName("GetHealth").WithSummary("Health of the MQTT edge, ingest and indicator output");
        return app;
    }
}
