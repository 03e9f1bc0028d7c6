using System.Diagnostics.CodeAnalysis;
using Gateway.Fast.Configuration;
using Gateway.Fast.Providers;
using Microsoft.Extensions.Configuration;

namespace Gateway.Fast.Access;

/// <summary>
/// Provider keys the process was started with (<c>OPENAI_API_KEY=… dotnet run</c>), read once at start-up: the last resort
/// of the default routes and the team base paths, after the caller's own key and the gateway's stored one.
/// </summary>
/// <remarks>
/// <code>
/// OPENAI_API_KEY  ANTHROPIC_API_KEY  GEMINI_API_KEY (or GOOGLE_API_KEY)  GROQ_API_KEY  MISTRAL_API_KEY
/// COHERE_API_KEY  DEEPSEEK_API_KEY  XAI_API_KEY
/// AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN) + AWS_REGION   Bedrock, signed with SigV4
/// AZURE_API_KEY (+ AZURE_RESOURCE_NAME)                                          Azure OpenAI
/// CLOUDFLARE_ACCOUNT_ID + CLOUDFLARE_API_TOKEN                                   Workers AI
/// </code>
/// Each key becomes the header its provider reads (<see cref="InjectedCredential"/>) here, once; the request path only
/// looks it up. Environment variables reach <see cref="IConfiguration"/> under these same names. The keys are never
/// written anywhere: <c>/health</c> says only whether one is set.
/// </remarks>
internal sealed class EnvironmentProviderKeys
{
    private static readonly (string Variable, string Provider)[] ApiKeys =
    [
        ("OPENAI_API_KEY", "openai"), ("ANTHROPIC_API_KEY", "anthropic"), ("GEMINI_API_KEY", "google-ai-studio"),
        ("GOOGLE_API_KEY", "google-ai-studio"), ("GROQ_API_KEY", "groq"), ("MISTRAL_API_KEY", "mistral"),
        ("COHERE_API_KEY", "cohere"), ("DEEPSEEK_API_KEY", "deepseek"), ("XAI_API_KEY", "grok"),
    ];

    private readonly Dictionary<string, InjectedCredential> _keys = new(StringComparer.Ordinal);

    public EnvironmentProviderKeys(IConfiguration configuration)
    {
        foreach (var (variable, provider) in ApiKeys)
        {
            if (!_keys.ContainsKey(provider) && Value(configuration, variable) is { } key) // GEMINI_API_KEY before GOOGLE_API_KEY
            {
                Add(provider, key);
            }
        }

        if (Value(configuration, "AWS_ACCESS_KEY_ID") is { } accessKeyId && Value(configuration, "AWS_SECRET_ACCESS_KEY") is { } secret)
        {
            // Without AWS_REGION the gateway's own Bedrock region (Gateway:BedrockRegion) is used, as for every Bedrock call.
            string region = Value(configuration, "AWS_REGION") ?? Value(configuration, "AWS_DEFAULT_REGION")
                ?? Value(configuration, GatewayOptions.SectionName + ":" + nameof(GatewayOptions.BedrockRegion)) ?? "us-east-1";
            _keys["aws-bedrock"] = InjectedCredential.ForAws(
                new Signing.AwsCredentials(accessKeyId, secret, Value(configuration, "AWS_SESSION_TOKEN"), region));
        }

        // The key alone serves models that name their resource ("{resource}/{deployment}"); the resource name lets a model
        // name just its deployment.
        if (Value(configuration, "AZURE_API_KEY") is { } azureKey)
        {
            Add("azure-openai", azureKey);
            AzureResource = Value(configuration, "AZURE_RESOURCE_NAME");
        }

        if (Value(configuration, "CLOUDFLARE_API_TOKEN") is { } token && Value(configuration, "CLOUDFLARE_ACCOUNT_ID") is { } account)
        {
            CloudflareAccountId = account;
            Add("workers-ai", token);
        }
    }

    /// <summary><c>AZURE_RESOURCE_NAME</c>: the resource a model naming only its deployment goes to; null when unset.</summary>
    public string? AzureResource { get; }

    /// <summary><c>CLOUDFLARE_ACCOUNT_ID</c>: the account in Workers AI URLs of the default routes and team paths; null when unset.</summary>
    public string? CloudflareAccountId { get; }

    /// <summary>The environment's key for <paramref name="provider"/> (a catalog slug), as the header to send.</summary>
    public bool TryGet(string provider, [NotNullWhen(true)] out InjectedCredential? credential) =>
        _keys.TryGetValue(provider, out credential);

    /// <summary>The providers (catalog slugs) the environment holds a key for; never the keys.</summary>
    public IReadOnlyCollection<string> Providers => _keys.Keys;

    /// <summary>True when the environment holds a key for <paramref name="provider"/>.</summary>
    public bool IsConfigured(string provider) => _keys.ContainsKey(provider);

    private void Add(string provider, string key)
    {
        if (ProviderCatalog.Find(provider) is { } descriptor && InjectedCredential.For(descriptor.Auth, key) is { } credential)
        {
            _keys[provider] = credential;
        }
    }

    private static string? Value(IConfiguration configuration, string name) =>
        configuration[name] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
