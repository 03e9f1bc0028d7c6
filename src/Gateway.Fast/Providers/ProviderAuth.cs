namespace Gateway.Fast.Providers;

/// <summary>How a provider expects its credential; the caller's header is forwarded as is, later issues inject stored keys this way.</summary>
public enum ProviderAuth : byte
{
    Bearer,
    XApiKey,
    GoogApiKey,
    AzureApiKey,
    SigV4,
    Token,
    FalKey,
    XiApiKey,
    IdeogramApiKey,
}
