namespace CitySense.Contracts.Grains;

/// <summary>One grain per district, keyed by district id. Knows its communities.</summary>
public interface IDistrictGrain : IAreaGrain, IGrainWithStringKey
{
    Task RegisterCommunity(string community);
}
