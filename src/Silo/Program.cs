using CitySense.Silo.Configuration;
using CitySense.Silo.Hosting;

try
{
    var app = CitySenseHost.Build(args);
    await app.RunAsync();
    return 0;
}
catch (InvalidConfigurationException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}
