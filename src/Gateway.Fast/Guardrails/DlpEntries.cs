namespace Gateway.Fast.Guardrails;

/// <summary>The built-in DLP detectors as bits, so a scan result and a profile are each one integer.</summary>
/// <remarks>Each detector is also a profile of its own; <see cref="DlpProfiles"/> names them and the groups over them.</remarks>
[Flags]
public enum DlpEntries : uint
{
    None = 0,
    /// <summary>An e-mail address (<c>local@domain.tld</c>).</summary>
    Email = 1 << 0,
    /// <summary>A payment card number: 13–19 digits, optional single spaces or dashes, issuer prefix and Luhn checked.</summary>
    CreditCard = 1 << 1,
    /// <summary>OpenAI <c>sk-…</c> and <c>sk-proj-…</c> keys.</summary>
    OpenAIKey = 1 << 2,
    /// <summary>Anthropic <c>sk-ant-…</c> keys.</summary>
    AnthropicKey = 1 << 3,
    /// <summary>AWS access key ids <c>AKIA</c>/<c>ASIA</c> + 16 of <c>[0-9A-Z]</c>.</summary>
    AwsAccessKey = 1 << 4,
    /// <summary>GitHub tokens <c>ghp_</c>, <c>gho_</c>, <c>ghu_</c>, <c>ghs_</c>, <c>ghr_</c>, <c>github_pat_</c>.</summary>
    GitHubToken = 1 << 5,
    /// <summary>Slack tokens <c>xoxa-</c>, <c>xoxb-</c>, <c>xoxp-</c>, <c>xoxr-</c>.</summary>
    SlackToken = 1 << 6,
    /// <summary>Google API keys <c>AIza</c> + 35 of <c>[0-9A-Za-z_-]</c>.</summary>
    GoogleApiKey = 1 << 7,
    /// <summary>Stripe secret and restricted keys <c>sk_live_</c>, <c>rk_live_</c>.</summary>
    StripeKey = 1 << 8,
    /// <summary>A PEM private key block (<c>-----BEGIN … PRIVATE KEY-----</c> to its END line).</summary>
    PrivateKey = 1 << 9,
    /// <summary>An HTTP bearer credential written into text: <c>Bearer</c> followed by a token of 20 or more characters.</summary>
    BearerToken = 1 << 10,

    /// <summary>Every key and secret detector.</summary>
    Secrets = OpenAIKey | AnthropicKey | AwsAccessKey | GitHubToken | SlackToken | GoogleApiKey | StripeKey | PrivateKey | BearerToken,
    All = Email | CreditCard | Secrets,
}
