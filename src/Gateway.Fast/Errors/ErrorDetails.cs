using Gateway.Fast.Configuration;

namespace Gateway.Fast.Errors;

/// <summary>Request-specific details for <see cref="ErrorDescription.WithDetail"/>: what went wrong for this request, and what to do.</summary>
/// <remarks>
/// A detail may name a path segment the caller sent (a gateway id, a provider slug), never a header value or a body. A segment is
/// echoed only when it is short and of a plain alphabet, so a crafted path can neither grow the body nor smuggle in markup; the
/// JSON writer escapes it besides. Anything else gets the generic hint.
/// </remarks>
public static class ErrorDetails
{
    /// <summary>Longest path segment echoed: the longest gateway id (docs/gateway-api.md#gateway-ids-and-the-default-gateway); provider slugs are shorter.</summary>
    public const int MaxEchoedChars = GatewaySettingsValidator.MaxIdLength;

    /// <summary>The 2001 hint when the id in the path is not echoed.</summary>
    public const string NoSuchGatewayHint =
        "no gateway has the id in the path (ids are 1-64 characters of a-z, 0-9, '_' and '-'); create one with "
        + "POST /api/management/gateways {\"id\":\"<gateway_id>\"} and Authorization: Bearer $CF_AIG_MANAGEMENT_API_TOKEN";

    /// <summary>The 2008 hint when the slug in the path is not echoed.</summary>
    public const string UnknownProviderHint =
        "the path names no provider this gateway knows; GET /health lists the provider slugs (e.g. openai, anthropic, "
        + "google-ai-studio, workers-ai, aws-bedrock)";

    /// <summary>401 on a gateway with authentication on: which credential, in which header, and where it comes from.</summary>
    public const string GatewayTokenExpected =
        "this gateway has authentication on: send one of its tokens as cf-aig-authorization: Bearer {token} (or as "
        + "Authorization: Bearer {token}); create one with POST /api/management/gateways/{gateway_id}/tokens";

    /// <summary>401 on a team base path (<c>/openai/v1/…</c>): a team key is the only credential it takes.</summary>
    public const string TeamKeyExpected =
        "the team base paths take a team key as Authorization: Bearer sk_...; create one with POST /tokens and the management token";

    /// <summary>401 on the default routes when <c>AUTH_TOKEN</c> is set.</summary>
    public const string AuthTokenExpected =
        "the default routes need the gateway's AUTH_TOKEN, sent as X-AUTH-TOKEN or the auth_token query parameter";

    /// <summary>2001 for <paramref name="id"/>: it does not exist, and the call that creates it; null (generic hint) when the id cannot be a gateway id.</summary>
    public static string? UnknownGateway(ReadOnlySpan<char> id)
    {
        // A valid id is at most 64 characters of [a-z0-9_-]: safe to echo. Any other id can never exist, which the generic
        // hint explains together with the id rules.
        if (!GatewaySettingsValidator.IsValidId(id))
        {
            return null;
        }

        return $"gateway '{id}' does not exist; create it with POST /api/management/gateways {{\"id\":\"{id}\"}} "
            + "and Authorization: Bearer $CF_AIG_MANAGEMENT_API_TOKEN";
    }

    /// <summary>2008 for the slug in the path; null (generic hint) when it is not a plain slug.</summary>
    public static string? UnknownProvider(ReadOnlySpan<char> slug)
        => IsPlainSlug(slug)
            ? $"'{slug}' is not a provider this gateway knows; GET /health lists the provider slugs (e.g. openai, anthropic, "
                + "google-ai-studio, workers-ai, aws-bedrock)"
            : null;

    private static bool IsPlainSlug(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > MaxEchoedChars)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
