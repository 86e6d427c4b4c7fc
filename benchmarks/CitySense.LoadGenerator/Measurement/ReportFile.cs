using System.Text.Json;

namespace CitySense.LoadGenerator.Measurement;

/// <summary>Writes a run's report as indented JSON (camelCase) for compare.sh, when --report-json is given.</summary>
public static class ReportFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Write<T>(string? path, T report)
    {
        if (!string.IsNullOrEmpty(path))
        {
            File.WriteAllText(path, JsonSerializer.Serialize(report, Json));
        }
    }
}
