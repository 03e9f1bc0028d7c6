namespace Gateway.Fast.Guardrails;

/// <summary>The DLP profile ids a gateway's <c>dlp</c> setting may name, and the entry id of each detector.</summary>
/// <remarks>
/// Cloudflare's profiles are account objects with UUIDs; ours are fixed names. Every detector is a profile of its own
/// (its entry id), and three groups cover several: <c>secrets</c> (alias <c>credentials</c>), <c>financial</c> and <c>all</c>.
/// The entry id is also what a MASK writes: <c>[REDACTED:email]</c>.
/// </remarks>
public static class DlpProfiles
{
    private static readonly (string Id, DlpEntries Entry)[] Singles =
    [
        ("email", DlpEntries.Email),
        ("credit_card", DlpEntries.CreditCard),
        ("openai_api_key", DlpEntries.OpenAIKey),
        ("anthropic_api_key", DlpEntries.AnthropicKey),
        ("aws_access_key", DlpEntries.AwsAccessKey),
        ("github_token", DlpEntries.GitHubToken),
        ("slack_token", DlpEntries.SlackToken),
        ("google_api_key", DlpEntries.GoogleApiKey),
        ("stripe_secret_key", DlpEntries.StripeKey),
        ("private_key", DlpEntries.PrivateKey),
        ("bearer_token", DlpEntries.BearerToken),
    ];

    /// <summary>The detectors a profile id covers; <see cref="DlpEntries.None"/> for an id this build does not know.</summary>
    public static DlpEntries Resolve(string? id)
    {
        switch (id?.ToLowerInvariant())
        {
            case null:
                return DlpEntries.None;
            case "secrets" or "credentials":
                return DlpEntries.Secrets;
            case "financial":
                return DlpEntries.CreditCard;
            case "all":
                return DlpEntries.All;
        }

        foreach (var (name, entry) in Singles)
        {
            if (string.Equals(name, id, StringComparison.OrdinalIgnoreCase))
            {
                return entry;
            }
        }

        return DlpEntries.None;
    }

    /// <summary>The entry id of one detector bit (the <c>entry_ids</c> of <c>cf-aig-dlp</c>).</summary>
    public static string EntryId(DlpEntries single)
    {
        foreach (var (name, entry) in Singles)
        {
            if (entry == single)
            {
                return name;
            }
        }

        return "unknown";
    }

    /// <summary>The entry id as UTF-8, for writing <c>[REDACTED:…]</c> without a string.</summary>
    public static ReadOnlySpan<byte> EntryIdUtf8(DlpEntries single) => single switch
    {
        DlpEntries.Email => "email"u8,
        DlpEntries.CreditCard => "credit_card"u8,
        DlpEntries.OpenAIKey => "openai_api_key"u8,
        DlpEntries.AnthropicKey => "anthropic_api_key"u8,
        DlpEntries.AwsAccessKey => "aws_access_key"u8,
        DlpEntries.GitHubToken => "github_token"u8,
        DlpEntries.SlackToken => "slack_token"u8,
        DlpEntries.GoogleApiKey => "google_api_key"u8,
        DlpEntries.StripeKey => "stripe_secret_key"u8,
        DlpEntries.PrivateKey => "private_key"u8,
        DlpEntries.BearerToken => "bearer_token"u8,
        _ => "unknown"u8,
    };
}
