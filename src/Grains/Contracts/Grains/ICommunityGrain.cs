namespace CitySense.Contracts.Grains;

/// <summary>One grain per community (residential compound), keyed "{district}/{community}".</summary>
public interface ICommunityGrain : IAreaGrain, IGrainWithStringKey;
