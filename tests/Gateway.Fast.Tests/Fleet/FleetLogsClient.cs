using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Durability;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>What the fleet logs tests send: chat calls that leave a log row on the replica they go through, and logs API
/// calls on a replica, fleet-wide or (with the local-only header a replica puts on forwarded calls) for its own rows.</summary>
internal static class FleetLogsClient
{
    public const string LocalOnly = "x-gateway-fleet-local";

    public const string Missing = "x-gateway-missing-replicas";

    public const string Logs = "api/management/gateways/default/logs";

    /// <summary>A chat call through <paramref name="replica"/>; returns the id of the log row it wrote there.</summary>
    public static async Task<string> ChatAsync(GatewayProcess replica, string model, int tokens)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/acct/default/openai/chat/completions")
        {
            Content = new StringContent(
                $$"""{"model":"{{model}}","messages":[{"role":"user","content":"row {{tokens}}"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", "sk-fleet-test");
        request.Headers.Add("x-sim-tokens", tokens.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await replica.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("cf-aig-log-id").Single();
    }

    /// <summary>GET <paramref name="path"/> on a management client: the status, the parsed body and the missing-replicas header.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body, string? Missing)> GetAsync(HttpClient management, string path,
        bool localOnly = false)
        => await SendAsync(management, new HttpRequestMessage(HttpMethod.Get, path), localOnly);

    public static async Task<(HttpStatusCode Status, JsonElement Body, string? Missing)> SendAsync(HttpClient management,
        HttpRequestMessage request, bool localOnly = false)
    {
        using (request)
        {
            if (localOnly)
            {
                request.Headers.Add(LocalOnly, "1");
            }

            using var response = await management.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(text.Length > 0, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} with an empty body, {response.Content.Headers}");
            using var document = JsonDocument.Parse(text);
            return (response.StatusCode, document.RootElement.Clone(),
                response.Headers.TryGetValues(Missing, out var values) ? string.Join(",", values) : null);
        }
    }

    /// <summary>Every row a replica holds itself (at most 100), as the list writes them.</summary>
    public static async Task<List<JsonElement>> LocalRowsAsync(HttpClient management)
    {
        var (status, body, _) = await GetAsync(management, Logs + "?per_page=100", localOnly: true);
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("result").EnumerateArray().ToList();
    }

    /// <summary>Waits until each replica holds the given number of rows (rows are written in the background).</summary>
    public static Task WaitForRowsAsync(GatewayFleet fleet, params int[] counts)
        => Eventually.HoldsAsync(async () =>
        {
            for (int i = 0; i < counts.Length; i++)
            {
                using var management = fleet.ManagementClient(i);
                if ((await LocalRowsAsync(management)).Count != counts[i])
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(30), "every replica has written its log rows");

    public static async Task<string> ReplicaIdAsync(GatewayProcess replica)
    {
        using var doc = JsonDocument.Parse(await replica.Client.GetStringAsync("health"));
        return doc.RootElement.GetProperty("redis").GetProperty("replica").GetString()!;
    }

    public static List<string> Ids(JsonElement envelope)
        => envelope.GetProperty("result").EnumerateArray().Select(static r => r.GetProperty("id").GetString()!).ToList();

    /// <summary>One node's order by created_at then id (the API's default is newest first).</summary>
    public static List<JsonElement> ByCreatedAt(IEnumerable<JsonElement> rows, bool descending)
    {
        var sorted = rows.OrderBy(static r => r.GetProperty("created_at").GetString(), StringComparer.Ordinal)
            .ThenBy(static r => r.GetProperty("id").GetString(), StringComparer.Ordinal).ToList();
        if (descending)
        {
            sorted.Reverse();
        }

        return sorted;
    }

    /// <summary>Sends SIGSTOP or SIGCONT: a replica that is registered and accepts connections but answers nothing.</summary>
    public static async Task SignalAsync(GatewayProcess replica, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", replica.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }
}
