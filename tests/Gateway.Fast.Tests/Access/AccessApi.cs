using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Access;

/// <summary>The management calls the access tests share: gateways, gateway tokens, provider configs, team keys.</summary>
internal static class AccessApi
{
    public const string Local = "api/management/gateways";

    public static async Task CreateGatewayAsync(GatewayServer gateway, string id, bool authentication, bool collectLogs = true)
    {
        using var management = gateway.ManagementClient();
        using var response = await management.PostAsJsonAsync(Local, new
        {
            id,
            cache_invalidate_on_update = false,
            cache_ttl = 0,
            collect_logs = collectLogs,
            rate_limiting_interval = 0,
            rate_limiting_limit = 0,
            authentication,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Creates a gateway token; returns its id and the secret shown once.</summary>
    public static async Task<(string Id, string Token)> CreateTokenAsync(GatewayServer gateway, string gatewayId, string name = "ci")
    {
        using var management = gateway.ManagementClient();
        using var response = await management.PostAsJsonAsync($"{Local}/{gatewayId}/tokens", new { name });
        var result = await ResultAsync(response);
        return (result.GetProperty("id").GetString()!, result.GetProperty("token").GetString()!);
    }

    /// <summary>Stores a provider key; returns the response body as text (for "the secret is not in it" checks) and the result.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> CreateProviderConfigAsync(GatewayServer gateway, string gatewayId, object body,
        string prefix = Local)
    {
        using var management = gateway.ManagementClient();
        using var response = await management.PostAsJsonAsync($"{prefix}/{gatewayId}/provider_configs", body);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> ResultAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        Assert.True(doc.RootElement.GetProperty("success").GetBoolean());
        return doc.RootElement.GetProperty("result").Clone();
    }

    /// <summary>A team-key call on the bare <c>/tokens</c> paths: a 200 whose body is the key object itself, no v4 envelope.</summary>
    public static async Task<JsonElement> BareAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(text);
        Assert.False(doc.RootElement.TryGetProperty("success", out _), text);
        Assert.False(doc.RootElement.TryGetProperty("result", out _), text);
        return doc.RootElement.Clone();
    }

    /// <summary>The key object of a team-key create or refresh: bare on <c>/tokens</c>, the envelope's result elsewhere.</summary>
    public static Task<JsonElement> TeamKeyAsync(HttpResponseMessage response, string prefix)
        => prefix.TrimStart('/').StartsWith("tokens", StringComparison.Ordinal) ? BareAsync(response) : ResultAsync(response);

    public static StringContent ChatBody() => new("""{"model":"m","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json");

    /// <summary>A POST through the proxy with the given headers.</summary>
    public static HttpRequestMessage Proxy(string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = ChatBody() };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>The headers the simulator's <c>/echo</c> received.</summary>
    public static async Task<JsonElement> EchoedHeadersAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("headers").Clone();
    }

    /// <summary>True when any file under <paramref name="folder"/> holds <paramref name="secret"/> (UTF-8 or UTF-16).</summary>
    public static bool AnyFileContains(string folder, string secret)
    {
        var utf8 = Encoding.UTF8.GetBytes(secret);
        var utf16 = Encoding.Unicode.GetBytes(secret);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            if (bytes.AsSpan().IndexOf(utf8) >= 0 || bytes.AsSpan().IndexOf(utf16) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
