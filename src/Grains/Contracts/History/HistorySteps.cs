namespace CitySense.Contracts.History;

/// <summary>The API's spelling of <see cref="HistoryStep"/>: "1h", "1d", "1mo".</summary>
public static class HistorySteps
{
    public static bool TryParse(string? text, out HistoryStep step)
    {
        switch (text)
        {
            case "1h":
                step = HistoryStep.Hour;
                return true;
            case "1d":
                step = HistoryStep.Day;
                return true;
            case "1mo":
                step = HistoryStep.Month;
                return true;
            default:
                step = default;
                return false;
        }
    }

    public static string Name(HistoryStep step) => step switch
    {
        HistoryStep.Hour => "1h",
        HistoryStep.Day => "1d",
        _ => "1mo",
    };
}
