using Gateway.Fast.Providers;

namespace Gateway.Fast.Access;

/// <summary>A stored provider secret, opened once, as the header the provider reads it from (docs/gateway-api.md#provider-endpoints).</summary>
/// <remarks>Built when the key is stored or at start-up, never per request: the forwarder adds the two strings as they are.</remarks>
internal sealed class InjectedCredential
{
    private InjectedCredential(string headerName, string headerValue, Signing.AwsCredentials? aws = null)
    {
        HeaderName = headerName;
        HeaderValue = headerValue;
        Aws = aws;
    }

    /// <summary>The header to add; empty for a SigV4 credential (<see cref="Aws"/>), which signs each request instead.</summary>
    public string HeaderName { get; }

    public string HeaderValue { get; }

    /// <summary>Stored AWS keys (<c>aws-bedrock</c>): the forwarder signs each attempt with them.</summary>
    public Signing.AwsCredentials? Aws { get; }

    /// <summary>
    /// The header for <paramref name="auth"/>; for SigV4 the stored JSON <c>{accessKeyId, secretAccessKey, sessionToken?, region}</c>
    /// read into <see cref="Aws"/>, or null when it is not such an object.
    /// </summary>
    public static InjectedCredential? For(ProviderAuth auth, string secret) => auth switch
    {
        ProviderAuth.SigV4 => Signing.AwsCredentialsJson.TryRead(secret, out var aws) ? ForAws(aws) : null,
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

    /// <summary>AWS keys that sign each request (SigV4) instead of travelling in a header.</summary>
    public static InjectedCredential ForAws(Signing.AwsCredentials aws) => new("", "", aws);

    /// <summary>Never the secret: this object may end up in a debugger or an exception message.</summary>
    public override string ToString() => Aws is null ? HeaderName + ": ****" : "SigV4 " + Aws;
}
