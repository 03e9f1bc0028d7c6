using Gateway.Fast.Providers;

namespace Gateway.Fast.Access;

/// <summary>A stored provider secret, opened once, as the header the provider reads it from (spec §1.1 "provider auth").</summary>
/// <remarks>Built when the key is stored or at start-up, never per request: the forwarder adds the two strings as they are.</remarks>
internal sealed class InjectedCredential
{
    private InjectedCredential(string headerName, string headerValue)
    {
        HeaderName = headerName;
        HeaderValue = headerValue;
    }

    public string HeaderName { get; }

    public string HeaderValue { get; }

    /// <summary>The header for <paramref name="auth"/>; null for SigV4, which is a signature over each request, not a header to copy.</summary>
    public static InjectedCredential? For(ProviderAuth auth, string secret) => auth switch
    {
        ProviderAuth.Bearer => new("Authorization", "Bearer " + secret),
        ProviderAuth.XApiKey => new("x-api-key", secret),
        ProviderAuth.GoogApiKey => new("x-goog-api-key", secret),
        ProviderAuth.AzureApiKey => new("api-key", secret),
        ProviderAuth.Token => new("Authorization", "Token " + secret),
        ProviderAuth.FalKey => new("Authorization", "Key " + secret),
        ProviderAuth.XiApiKey => new("xi-api-key", secret),
        ProviderAuth.IdeogramApiKey => new("Api-Key", secret),
        _ => null,
    };

    /// <summary>Never the secret: this object may end up in a debugger or an exception message.</summary>
    public override string ToString() => HeaderName + ": ****";
}
