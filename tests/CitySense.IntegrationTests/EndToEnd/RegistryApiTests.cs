using System.Net;
using System.Net.Http.Json;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.EndToEnd;

/// <summary>The registry through the HTTP API, persisted across a restart of the silo.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class RegistryApiTests
{
    [Fact]
    public async Task A_provisioned_device_survives_a_restart_and_its_readings_are_held_to_its_place()
    {
        var data = Directory.CreateTempSubdirectory("citysense-registry-").FullName;
        var settings = new Dictionary<string, string?> { ["Registry:DataPath"] = data };
        try
        {
            await using (var first = await CitySenseInstance.StartAsync(settings))
            {
                var put = await first.Http.PutAsJsonAsync("/api/registry/devices/reg-w1",
                    new { district = "reg-d", community = "reg-c", kind = "water", registerMax = 99999.999, expectedIntervalSeconds = 300, tags = new { building = "7" } });
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
                Assert.Equal(HttpStatusCode.BadRequest, (await first.Http.PutAsJsonAsync("/api/registry/devices/bad id", new { district = "d", community = "c", kind = "water" })).StatusCode);
                Assert.Equal(HttpStatusCode.BadRequest, (await first.Http.PutAsJsonAsync("/api/registry/devices/reg-x", new { district = "d", community = "c", kind = "gateway" })).StatusCode);
            }

            await using var second = await CitySenseInstance.StartAsync(settings);
            var profile = (await second.GetJsonAsync("/api/registry/devices/reg-w1"))!.Value;
            Assert.Equal(("reg-d", "reg-c", "water", 99999.999m, "7"),
                (profile.GetProperty("district").GetString(), profile.GetProperty("community").GetString(), profile.GetProperty("kind").GetString(),
                 profile.GetProperty("registerMax").GetDecimal(), profile.GetProperty("tags").GetProperty("building").GetString()));

            // Before any reading, the restarted silo already counts the provisioned device: registered, offline.
            await Wait.UntilAsync(async () =>
            {
                var community = await second.GetJsonAsync("/api/districts/reg-d/communities/reg-c");
                return community?.GetProperty("summary").GetProperty("devices").EnumerateArray()
                    .Any(d => d.GetProperty("registered").GetInt64() == 1 && d.GetProperty("offline").GetInt64() == 1) == true;
            }, TimeSpan.FromSeconds(30), "the provisioned device back on its community's roster");

            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await using (var publisher = await Publisher.ConnectAsync(second.MqttPort, "reg-publisher"))
            {
                await publisher.PublishAsync("city/reg-d/elsewhere/water/reg-w1", $$"""{"ts":{{now}},"total":5.0}""");
                await publisher.PublishAsync("city/reg-d/reg-c/water/reg-w1", $$"""{"ts":{{now}},"total":5.0}""");
            }

            var rejections = (await second.GetJsonAsync("/api/rejections"))!.Value;
            Assert.Equal(1, rejections.GetProperty("byReason").GetProperty("device-registered-elsewhere").GetInt64());
            var device = (await second.GetJsonAsync("/api/devices/reg-w1"))!.Value;
            Assert.Equal(("reg-c", 1L), (device.GetProperty("community").GetString(), device.GetProperty("accepted").GetInt64()));

            Assert.Equal(HttpStatusCode.OK, (await second.Http.DeleteAsync("/api/registry/devices/reg-w1")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await second.Http.PostAsync("/api/registry/devices/never-seen/replacement", null)).StatusCode);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
