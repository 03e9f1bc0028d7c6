using Microsoft.Extensions.Logging;

namespace Gateway.Fast.Hosting;

/// <summary>
/// Keeps ASP.NET Core's own URL logging off, whatever the configured levels: secrets travel in some URLs by the spec
/// (Google's <c>?key=</c>, <c>?auth_token=</c>, a team key in <c>/tokens/{key}/refresh</c>), and the framework writes
/// request URLs in its "Request starting/finished" lines, in the <c>RequestPath</c> scope it opens for every line of a
/// request (only while its category is enabled), and in routing's Debug lines.
/// </summary>
/// <remarks>
/// A logging rule is chosen per provider first and category second, so a provider-specific rule
/// (<c>Logging:Console:LogLevel:Default</c>) would outrank a plain category rule. After all configuration is bound, this
/// adds the two category rules once for every provider any rule names, and once for all: the most specific rule always
/// is ours.
/// </remarks>
internal static class UrlLoggingFilter
{
    private static readonly (string Category, LogLevel Level)[] Silenced =
    [
        ("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None),
        ("Microsoft.AspNetCore.Routing", LogLevel.Warning),
    ];

    public static void Apply(LoggerFilterOptions options)
    {
        var providers = new HashSet<string?> { null };
        foreach (var rule in options.Rules)
        {
            providers.Add(rule.ProviderName);
        }

        foreach (string? provider in providers)
        {
            foreach (var (category, level) in Silenced)
            {
                options.Rules.Add(new LoggerFilterRule(provider, category, level, filter: null));
            }
        }
    }
}
