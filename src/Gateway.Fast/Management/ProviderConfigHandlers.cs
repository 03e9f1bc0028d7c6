using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fast.Access;
using Gateway.Fast.Providers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Management;

/// <summary><c>…/gateways/{gateway}/provider_configs</c>: provider keys the gateway holds for its callers (BYOK, docs/gateway-api.md#provider-keys-and-gateway-tokens).</summary>
/// <remarks>
/// <para>Create takes <c>{provider_slug, alias = "default", secret, default_config?}</c>. <c>secret</c> is the provider's key;
/// for <c>aws-bedrock</c> it is <c>{accessKeyId, secretAccessKey, region}</c> (an object, or that object as a string); for
/// <c>azure-openai</c> the key, with the resource in <c>default_config</c>. The result never holds the secret, only
/// <c>secret_preview</c> (last 4 characters; of the access key id for Bedrock).</para>
/// <para>A gateway must have <c>authentication</c> on to be given keys (our choice,
/// docs/gateway-api.md#stored-provider-keys); otherwise anyone who can reach it could spend them. Create refuses with 400. If authentication
/// is switched off later, the keys stay stored but are not sent (see <see cref="GatewayAccess"/>).</para>
/// </remarks>
internal static class ProviderConfigHandlers
{
    // Provider keys are under 200 characters; a Vertex service-account JSON is about 2.5 KiB.
    private const int MaxSecretChars = 16 << 10;

    public static IResult List(HttpContext context, string gateway)
    {
        if (!TokenHandlers.TryGetGateway(context, gateway, out var settings, out var failure))
        {
            return failure;
        }

        var result = new JsonArray();
        foreach (var config in Store(context).List(settings))
        {
            result.Add(ToNode(config));
        }

        return V4Envelope.Ok(result, new V4ResultInfo(1, result.Count, result.Count, result.Count));
    }

    public static async Task<IResult> Create(HttpContext context, string gateway)
    {
        if (!TokenHandlers.TryGetGateway(context, gateway, out var settings, out var failure))
        {
            return failure;
        }

        if (!settings.Authentication)
        {
            return V4Envelope.Fail(StatusCodes.Status400BadRequest,
                $"Gateway '{gateway}' must have authentication enabled before it can hold provider keys", "authentication");
        }

        using var body = await ManagementBody.ReadAsync(context);
        if (body.Failure is { } bodyFailure)
        {
            return bodyFailure;
        }

        var root = body.Root;
        if (!ManagementBody.TryGetString(root, "provider_slug", out var provider, out _) || provider is null
            || ProviderCatalog.Find(provider) is null)
        {
            return V4Envelope.Fail(StatusCodes.Status400BadRequest, "provider_slug must name a provider of the catalog", "provider_slug");
        }

        if (!ManagementBody.TryGetString(root, "alias", out var alias, out _) || (alias is not null && !GatewayAccess.IsPlainAlias(alias)))
        {
            return V4Envelope.Fail(StatusCodes.Status400BadRequest, "alias must be 1 to 64 letters, digits, '-', '_' or '.'", "alias");
        }

        if (root.TryGetProperty("secret_id", out _))
        {
            return V4Envelope.Fail(StatusCodes.Status400BadRequest, "secret_id (a secrets store) is not supported: send the secret itself", "secret_id");
        }

        // Every message below is fixed text: nothing of the secret is ever echoed, even when it is malformed.
        if (!TryReadSecret(root, provider, out var secret, out var preview, out var secretError))
        {
            return V4Envelope.Fail(StatusCodes.Status400BadRequest, secretError, "secret");
        }

        string? defaultConfig = null;
        if (root.TryGetProperty("default_config", out var config) && config.ValueKind != JsonValueKind.Null)
        {
            if (config.ValueKind != JsonValueKind.Object)
            {
                return V4Envelope.Fail(StatusCodes.Status400BadRequest, "default_config must be an object", "default_config");
            }

            defaultConfig = config.GetRawText();
        }

        alias ??= ProviderKeyStore.DefaultAlias;
        var created = await Store(context).CreateAsync(settings, provider, alias, secret, preview, defaultConfig, context.RequestAborted);
        return created is null
            ? V4Envelope.Fail(StatusCodes.Status400BadRequest, $"Gateway '{gateway}' already holds a '{provider}' key named '{alias}'", "alias")
            : V4Envelope.Ok(ToNode(created));
    }

    public static async Task<IResult> Delete(HttpContext context, string gateway, string id)
    {
        if (!TokenHandlers.TryGetGateway(context, gateway, out var settings, out var failure))
        {
            return failure;
        }

        var deleted = await Store(context).DeleteAsync(settings, id, context.RequestAborted);
        return deleted is null
            ? V4Envelope.Fail(StatusCodes.Status404NotFound, $"Provider config '{id}' not found")
            : V4Envelope.Ok(ToNode(deleted));
    }

    private static bool TryReadSecret(JsonElement root, string provider, out string secret, out string preview, out string error)
    {
        secret = preview = error = "";
        if (!root.TryGetProperty("secret", out var element))
        {
            error = "secret is required";
            return false;
        }

        if (ProviderCatalog.Find(provider)!.Auth == ProviderAuth.SigV4) // AWS keys are a pair and a region, signed per call
        {
            return TryReadAwsSecret(element, out secret, out preview, out error);
        }

        if (element.ValueKind != JsonValueKind.String || element.GetString() is not { Length: > 0 and <= MaxSecretChars } value
            || value.AsSpan().ContainsAny('\r', '\n'))
        {
            error = "secret must be a non-empty string of at most 16384 characters, on one line";
            return false;
        }

        secret = value.Trim();
        preview = SecretGenerator.Hint(secret);
        return true;
    }

    /// <summary><c>{accessKeyId, secretAccessKey, region}</c>, stored as compact JSON; the preview comes from the access key id.</summary>
    private static bool TryReadAwsSecret(JsonElement element, out string secret, out string preview, out string error)
    {
        secret = preview = "";
        error = "for aws-bedrock, secret must be {accessKeyId, secretAccessKey, region} (an object or that object as a string)";
        JsonDocument? parsed = null;
        try
        {
            if (element.ValueKind == JsonValueKind.String)
            {
                try
                {
                    parsed = JsonDocument.Parse(element.GetString()!);
                }
                catch (JsonException)
                {
                    return false;
                }

                element = parsed.RootElement;
            }

            if (element.ValueKind != JsonValueKind.Object
                || !TryGetText(element, "accessKeyId", out var accessKeyId)
                || !TryGetText(element, "secretAccessKey", out var secretAccessKey)
                || !TryGetText(element, "region", out var region))
            {
                return false;
            }

            secret = new JsonObject { ["accessKeyId"] = accessKeyId, ["secretAccessKey"] = secretAccessKey, ["region"] = region }.ToJsonString();
            preview = SecretGenerator.Hint(accessKeyId);
            return true;
        }
        finally
        {
            parsed?.Dispose();
        }
    }

    private static bool TryGetText(JsonElement element, string name, out string value)
    {
        value = element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString()! : "";
        return value.Length is > 0 and <= MaxSecretChars;
    }

    private static JsonObject ToNode(ProviderConfig config) => new()
    {
        ["id"] = config.Id,
        ["gateway_id"] = config.GatewayId,
        ["provider_slug"] = config.ProviderSlug,
        ["alias"] = config.Alias,
        ["secret_preview"] = config.SecretPreview,
        ["default_config"] = config.DefaultConfig is { } raw ? JsonNode.Parse(raw) : null,
        ["created_at"] = config.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
    };

    private static ProviderKeyStore Store(HttpContext context) => context.RequestServices.GetRequiredService<ProviderKeyStore>();
}
