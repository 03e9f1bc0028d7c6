namespace Gateway.Fast.Tests.Fleet;

/// <summary>Polls a condition until it holds or a deadline passes: how a test waits for something another process or a
/// background reconnection does, instead of sleeping a guessed time.</summary>
public static class Eventually
{
    /// <summary>Returns once <paramref name="condition"/> is true; fails with <paramref name="what"/> when <paramref name="within"/> passes first.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"within {within.TotalSeconds:0.#} s: {what}");
            // A short pause between polls keeps two cores free for the replicas being polled; the wait itself is the condition.
            await Task.Delay(10);
        }
    }

    public static Task HoldsAsync(Func<bool> condition, TimeSpan within, string what)
        => HoldsAsync(() => Task.FromResult(condition()), within, what);
}
