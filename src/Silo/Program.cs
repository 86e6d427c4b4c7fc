using CitySense.Contracts.Configuration;
using CitySense.Silo.Configuration;
using CitySense.Silo.Hosting;
using CitySense.Silo.Tools;

if (args.Length > 0 && args[0] == HashSecretCommand.Name)
{
    return HashSecretCommand.Run(args[1..], Console.In, Console.Out, Console.Error);
}

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
