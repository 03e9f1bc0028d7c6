using System.Text.Json;

namespace Gateway.Fast.Configuration;

/// <summary>Turns a management request body into <see cref="GatewaySettings"/>, reporting every bad field at once.</summary>
/// <remarks>
/// Fields absent from the body keep the <c>baseline</c>'s values: a create starts from the defaults
/// (<see cref="GatewaySettings.WithDefaults"/>), PUT and PATCH from the stored gateway (our choice: PUT insists on the required fields but does not wipe optional ones the caller left out).
/// Server-set fields (<c>created_at</c>, <c>modified_at</c>, <c>internal_id</c>, <c>account_*</c>) and unknown fields are ignored,
/// so a body read back from GET can be sent again.
/// </remarks>
public static class GatewaySettingsReader
{
    public static bool TryRead(
        JsonElement body,
        GatewaySettings baseline,
        GatewaySettingsInput input,
        out GatewaySettings settings,
        List<GatewaySettingsError> errors)
    {
        settings = baseline;
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("", "The body must be a JSON object"));
            return false;
        }

        var before = errors.Count;
        var required = input is GatewaySettingsInput.Create or GatewaySettingsInput.Replace;
        var r = new FieldReader(body, errors);

        var id = baseline.Id;
        if (input is GatewaySettingsInput.Create or GatewaySettingsInput.CreateWithDefaults)
        {
            id = r.String("id", required: true, nullable: false, baseline.Id) ?? "";
        }
        else if (body.TryGetProperty("id", out var given) && !(given.ValueKind == JsonValueKind.String && given.ValueEquals(baseline.Id)))
        {
            errors.Add(new("id", "id cannot be changed"));
        }

        settings = baseline with
        {
            Id = id,
            Name = r.String("name", required: false, nullable: true, baseline.Name),
            CacheInvalidateOnUpdate = r.Bool("cache_invalidate_on_update", required, baseline.CacheInvalidateOnUpdate),
            CacheTtl = r.Int("cache_ttl", required, baseline.CacheTtl),
            CollectLogs = r.Bool("collect_logs", required, baseline.CollectLogs),
            RateLimitingInterval = r.Int("rate_limiting_interval", required, baseline.RateLimitingInterval),
            RateLimitingLimit = r.Int("rate_limiting_limit", required, baseline.RateLimitingLimit),
            RateLimitingTechnique = r.Enum("rate_limiting_technique", baseline.RateLimitingTechnique, ParseTechnique, "'fixed', 'sliding'"),
            Authentication = r.Bool("authentication", false, baseline.Authentication),
            LogManagement = r.Int("log_management", false, baseline.LogManagement),
            LogManagementStrategy = r.Enum("log_management_strategy", baseline.LogManagementStrategy, ParseStrategy, "'STOP_INSERTING', 'DELETE_OLDEST'"),
            Logpush = r.Bool("logpush", false, baseline.Logpush),
            LogpushPublicKey = r.String("logpush_public_key", required: false, nullable: true, baseline.LogpushPublicKey),
            RetryMaxAttempts = r.Int("retry_max_attempts", false, baseline.RetryMaxAttempts),
            RetryDelay = r.Int("retry_delay", false, baseline.RetryDelay),
            RequestTimeout = r.Int("request_timeout", false, baseline.RequestTimeout),
            RetryBackoff = r.Enum("retry_backoff", baseline.RetryBackoff, ParseBackoff, "'constant', 'linear', 'exponential'"),
            Guardrails = r.Raw("guardrails", JsonValueKind.Object, baseline.Guardrails),
            Dlp = r.Raw("dlp", JsonValueKind.Object, baseline.Dlp),
            SpendLimits = r.Raw("spend_limits", JsonValueKind.Object, baseline.SpendLimits),
            Otel = r.Raw("otel", JsonValueKind.Array, baseline.Otel),
            Stripe = r.Raw("stripe", JsonValueKind.Object, baseline.Stripe),
            Zdr = r.Bool("zdr", false, baseline.Zdr),
            LogClassification = r.Bool("log_classification", false, baseline.LogClassification),
            IsDefault = r.Bool("is_default", false, baseline.IsDefault),
            StoreId = r.String("store_id", required: false, nullable: true, baseline.StoreId),
            WorkersAiBillingMode = r.Enum("workers_ai_billing_mode", baseline.WorkersAiBillingMode, ParseBillingMode, "'postpaid', 'unified'", nullable: false)
                ?? baseline.WorkersAiBillingMode,
        };

        // Range checks run on the merged object; a field already rejected for its type is not reported twice.
        var ranges = new List<GatewaySettingsError>();
        GatewaySettingsValidator.Validate(settings, ranges);
        foreach (var error in ranges)
        {
            if (!errors.Exists(e => e.Field == error.Field))
            {
                errors.Add(error);
            }
        }

        return errors.Count == before;
    }

    private static RateLimitingTechnique? ParseTechnique(string s) => s switch
    {
        "fixed" => RateLimitingTechnique.Fixed,
        "sliding" => RateLimitingTechnique.Sliding,
        _ => null,
    };

    private static LogManagementStrategy? ParseStrategy(string s) => s switch
    {
        "STOP_INSERTING" => LogManagementStrategy.StopInserting,
        "DELETE_OLDEST" => LogManagementStrategy.DeleteOldest,
        _ => null,
    };

    private static RetryBackoff? ParseBackoff(string s) => s switch
    {
        "constant" => RetryBackoff.Constant,
        "linear" => RetryBackoff.Linear,
        "exponential" => RetryBackoff.Exponential,
        _ => null,
    };

    private static WorkersAiBillingMode? ParseBillingMode(string s) => s switch
    {
        "postpaid" => WorkersAiBillingMode.Postpaid,
        "unified" => WorkersAiBillingMode.Unified,
        _ => null,
    };
}
