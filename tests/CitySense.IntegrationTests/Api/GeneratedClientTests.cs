using System.Reflection;
using System.Runtime.Loader;
using CitySense.IntegrationTests.Fixtures;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using Xunit;

namespace CitySense.IntegrationTests.Api;

/// <summary>
/// A client the project did not write: NSwag (from NuGet) generates C# from the running silo's OpenAPI document, Roslyn
/// compiles it, and the test calls the API through it. What a city-brain developer with a generator would do.
/// </summary>
public sealed class GeneratedClientTests
{
    [Fact]
    public async Task A_client_generated_from_the_document_reads_the_city_and_a_device_profile()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>());
        var document = await OpenApiDocument.FromJsonAsync(await silo.Http.GetStringAsync("/openapi/v1.json"));
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "CitySenseClient",
            GenerateClientInterfaces = false,
            OperationNameGenerator = new NSwag.CodeGeneration.OperationNameGenerators.SingleClientFromOperationIdOperationNameGenerator(),
            CSharpGeneratorSettings = { Namespace = "Generated", JsonLibrary = CSharpJsonLibrary.SystemTextJson },
        };
        var code = new CSharpClientGenerator(document, settings).GenerateFile();
        // Kept for whoever reads a failure: what the generator made of the document.
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "citysense-generated-client.cs"), code);
        var type = Compile(code).GetType("Generated.CitySenseClient", throwOnError: true)!;
        // NSwag's client takes the HttpClient, and the base URL when the document names no server.
        var client = type.GetConstructor([typeof(string), typeof(HttpClient)]) is { } withUrl
            ? withUrl.Invoke([silo.Http.BaseAddress!.ToString(), silo.Http])
            : Activator.CreateInstance(type, silo.Http)!;
        type.GetProperty("BaseUrl")?.SetValue(client, silo.Http.BaseAddress!.ToString());

        var city = await Call(client, "GetCityAsync");
        Assert.Equal("city", Property(city, "Level"));

        // A registry round trip through the generated types: provision, then read the profile back.
        var request = Activator.CreateInstance(client.GetType().Assembly.GetType("Generated.ProvisionRequest", throwOnError: true)!)!;
        SetProperty(request, "District", "gen-d");
        SetProperty(request, "Community", "gen-c");
        SetProperty(request, "Kind", "water");
        await Call(client, "ProvisionDeviceAsync", "gen-w1", request);
        var profile = await Call(client, "GetDeviceProfileAsync", "gen-w1");
        Assert.Equal("gen-c", Property(profile, "Community"));
    }

    private static Assembly Compile(string code)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "CitySense.GeneratedClient",
            [CSharpSyntaxTree.ParseText(code)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, "the generated client does not compile: " + string.Join(Environment.NewLine,
            emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10)));
        image.Position = 0;
        return new AssemblyLoadContext("generated-client", isCollectible: true).LoadFromStream(image);
    }

    /// <summary>Calls the generated method with the given leading arguments (the cancellation token last, when it has one).</summary>
    private static async Task<object?> Call(object client, string name, params object[] arguments)
    {
        var method = client.GetType().GetMethods()
            .Where(m => m.Name == name)
            .OrderBy(m => m.GetParameters().Length)
            .First(m => m.GetParameters().Length >= arguments.Length);
        var parameters = method.GetParameters();
        var values = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            values[i] = i < arguments.Length ? arguments[i]
                : parameters[i].ParameterType == typeof(CancellationToken) ? CancellationToken.None
                : parameters[i].HasDefaultValue ? parameters[i].DefaultValue : null;
        }

        var task = (Task)method.Invoke(client, values)!;
        await task;
        return task.GetType().GetProperty("Result")?.GetValue(task);
    }

    private static object? Property(object? target, string name) => target!.GetType().GetProperty(name)!.GetValue(target);

    private static void SetProperty(object target, string name, object value) => target.GetType().GetProperty(name)!.SetValue(target, value);
}
