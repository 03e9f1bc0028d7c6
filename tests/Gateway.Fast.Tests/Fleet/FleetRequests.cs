using System.Net;
using System.Text;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>Requests the fleet tests send to replicas: chat calls through the default gateway, and its settings.</summary>
internal static class FleetRequests
{
    /// <summary>A chat completion through <c>default</c>'s OpenAI route.</summary>
    public static HttpRequestMessage Chat(string content, bool stream = false, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/acct/default/openai/chat/completions")
        {
            Content = new StringContent(
                $$"""{"model":"gpt-4o-mini","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{content}}"}]}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", "sk-fleet-test");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>PATCHes the <c>default</c> gateway with <paramref name="json"/> (on one replica; each replica keeps its own copy
    /// unless configuration is shared, so tests apply it to each).</summary>
    public static async Task PatchDefaultAsync(HttpClient management, string json)
    {
        using var response = await management.PatchAsync("api/management/gateways/default",
            new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>An interval (s) whose current clock-aligned window has at least ten minutes left, so a burst never straddles
    /// two windows (which would rightly admit the limit twice).</summary>
    public static int QuietInterval()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        int interval = 3600;
        while (interval - now % interval < 600)
        {
            interval++;
        }

        return interval;
    }

    /// <summary>The value of an unlabelled Prometheus sample in <paramref name="metrics"/>, or null when absent.</summary>
    public static double? Sample(string metrics, string name)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                return double.Parse(line.AsSpan(name.Length + 1), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
