using System.Diagnostics;
using Xunit;

namespace CitySense.IntegrationTests.EndToEnd;

/// <summary>The real executable refuses invalid configuration with a message naming the key and the fix.</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData("--Mqtt:Mode=Carrier-pigeon", "Mqtt:Mode")]
    [InlineData("--Mqtt:Mode=External", "Mqtt:Host")]
    [InlineData("--Mqtt:Port=99999", "Mqtt:Port")]
    [InlineData("--Influx:Url=localhost:8086", "Influx:Url")]
    [InlineData("--Indicators:Window=soon", "Indicators:Window")]
    public async Task Invalid_configuration_stops_start_up_with_a_message_naming_the_key(string argument, string key)
    {
        var silo = Path.Combine(AppContext.BaseDirectory, "CitySense.Silo.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{silo}\" {argument}")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        var message = await stderr;
        Assert.Contains(key, message);
        Assert.Contains("Invalid configuration", message);
        Assert.DoesNotContain("Exception", message + await stdout);
    }
}
