namespace CitySense.GrainTests;

/// <summary>Waiting on a condition with a deadline (timers tick in real time; the silo clock is fake).</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
