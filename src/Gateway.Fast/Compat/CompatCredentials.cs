using Gateway.Fast.Providers;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Compat;

/// <summary>
/// The caller's provider key, re-expressed in the target provider's own header (docs/gateway-api.md#unified-api: "Authorization: Bearer
/// {provider key} (re-expressed as the provider's native auth)"). Translated requests carry only the headers built here.
/// </summary>
internal static class CompatCredentials
{
    /// <summary>
    /// The key the caller sent: <c>Authorization: Bearer</c> (what the OpenAI SDK sends), else <c>x-api-key</c>,
    /// <c>api-key</c> or <c>x-goog-api-key</c>; null when none.
    /// </summary>
    /// <param name="headers">The request's headers.</param>
    /// <param name="gatewayTokenInAuthorization">The <c>Authorization</c> value is the caller's gateway token (docs/gateway-api.md#authenticated-gateway): never a provider key.</param>
    public static string? PresentedKey(IHeaderDictionary headers, bool gatewayTokenInAuthorization = false)
    {
        if (!gatewayTokenInAuthorization && headers.Authorization is { Count: 1 } authorization
            && Access.GatewayAccess.TryReadBearer(authorization[0], out var bearer))
        {
            return bearer.ToString();
        }

        foreach (string name in KeyHeaders)
        {
            if (headers[name] is { Count: 1 } key && !string.IsNullOrEmpty(key[0]))
            {
                return key[0];
            }
        }

        return null;
    }

    /// <summary>The key a Universal step carries in its own <c>headers</c>, read as <see cref="PresentedKey(IHeaderDictionary, bool)"/> reads a request's.</summary>
    public static string? PresentedKey(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary[name] = value;
        }

        return PresentedKey(dictionary);
    }

    /// <summary>Adds <paramref name="key"/> as <paramref name="auth"/> wants it.</summary>
    public static void Add(List<KeyValuePair<string, string>> headers, ProviderAuth auth, string key)
    {
        headers.Add(auth switch
        {
            ProviderAuth.XApiKey => new("x-api-key", key),
            ProviderAuth.GoogApiKey => new("x-goog-api-key", key),
            ProviderAuth.AzureApiKey => new("api-key", key),
            ProviderAuth.Token => new("Authorization", "Token " + key),
            // Bedrock: an Amazon Bedrock API key is a bearer token; SigV4 credentials are signed by the stage instead.
            _ => new("Authorization", "Bearer " + key),
        });
    }

    private static readonly string[] KeyHeaders = ["x-api-key", "api-key", "x-goog-api-key"];
}
