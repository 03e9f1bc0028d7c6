using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Fast.Client;

/// <summary>The resolved settings and URL shapes of one gateway deployment, shared by a <see cref="GatewayClient"/> and its gateways.</summary>
internal sealed class GatewayConnection
{
    public GatewayConnection(GatewayClientOptions options, HttpClient http)
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("AI_GATEWAY_URL");
        string root = options.BaseUrl?.ToString() ?? (string.IsNullOrEmpty(fromEnvironment) ? "http://localhost:8080" : fromEnvironment);
        BaseUrl = root.TrimEnd('/');
        ArgumentException.ThrowIfNullOrEmpty(options.AccountId);
        AccountId = options.AccountId;
        ApiToken = options.ApiToken;
        Http = http;
    }

    /// <summary>The root URL without a trailing slash.</summary>
    public string BaseUrl { get; }

    public string AccountId { get; }

    public string? ApiToken { get; }

    public HttpClient Http { get; }

    /// <summary><c>{base}/v1/{account}/{gateway}/</c> followed by <paramref name="path"/>.</summary>
    public string ProxyUrl(string gateway, string path = "")
        => $"{BaseUrl}/v1/{Uri.EscapeDataString(AccountId)}/{Uri.EscapeDataString(gateway)}/{path}";

    /// <summary>Cloudflare's v4 management URL of one gateway's resource, e.g. <c>logs/{id}</c>.</summary>
    public string ManagementUrl(string gateway, string path)
        => $"{BaseUrl}/client/v4/accounts/{Uri.EscapeDataString(AccountId)}/ai-gateway/gateways/{Uri.EscapeDataString(gateway)}/{path}";

    /// <summary>
    /// A JSON POST to the proxy with the gateway credential, the controls' headers, the provider's key when given, and then
    /// <paramref name="extraHeaders"/>, which replace any header of the same name.
    /// </summary>
    public HttpRequestMessage ProxyRequest(string url, JsonNode body, GatewayRequestOptions? controls, string? providerApiToken,
        IReadOnlyDictionary<string, string>? extraHeaders)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (ApiToken is not null)
        {
            request.Headers.TryAddWithoutValidation("cf-aig-authorization", "Bearer " + ApiToken);
        }

        foreach (var (name, value) in GatewayHeaders.For(controls))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (providerApiToken is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + providerApiToken);
        }

        if (extraHeaders is not null)
        {
            foreach (var (name, value) in extraHeaders)
            {
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    /// <summary>A management call with the token as <c>Authorization: Bearer</c>.</summary>
    public HttpRequestMessage ManagementRequest(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (ApiToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiToken);
        }

        return request;
    }
}
