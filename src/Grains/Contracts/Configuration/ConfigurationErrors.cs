using Microsoft.Extensions.DependencyInjection;

namespace CitySense.Contracts.Configuration;

/// <summary>
/// The configuration mistakes found while the parts register themselves. Each part checks its own keys when it is
/// added (AddCitySenseIngest, AddCitySenseOutput, ...); the host refuses to start, naming every mistake at once, before
/// anything is built. Kept in the service collection itself so that parts need no shared object to report into.
/// </summary>
public sealed class ConfigurationErrors
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> All => _errors;

    /// <summary>The collection's error list, created with the first part that registers.</summary>
    public static ConfigurationErrors Of(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(ConfigurationErrors) && descriptor.ImplementationInstance is ConfigurationErrors found)
            {
                return found;
            }
        }

        var errors = new ConfigurationErrors();
        services.AddSingleton(errors);
        return errors;
    }

    /// <summary>Adds a part's findings; true when it found none (the part may then bind its options safely).</summary>
    public bool Add(IReadOnlyList<string> found)
    {
        _errors.AddRange(found);
        return found.Count == 0;
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new InvalidConfigurationException(_errors);
        }
    }
}
