using CitySense.Contracts.Alarms;
using CitySense.Contracts.History;
using CitySense.Grains.Domain.Alarms;
using CitySense.Grains.Domain.History;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace CitySense.Grains.History;

/// <summary>What every area needs to keep its history: the settings, the city's calendar and night window, and the store.</summary>
public sealed class HistoryContext(IOptions<HistoryOptions> options, IOptions<AlarmOptions> alarms, IServiceProvider services)
{
    public HistoryOptions Options => options.Value;

    /// <summary>A calendar of the city's time zone (one per area: it caches the hour it last found).</summary>
    public LocalCalendar NewCalendar() => new(CityTimeZone.Of(alarms.Value));

    public NightWindow Night => new(alarms.Value.NightStart, alarms.Value.NightEnd);

    /// <summary>Records in grain storage "history" (one accessor per area: it remembers the ETags it read).</summary>
    public IHistoryRecords NewRecords() => new GrainStorageHistoryRecords(services.GetRequiredKeyedService<IGrainStorage>("history"));
}
