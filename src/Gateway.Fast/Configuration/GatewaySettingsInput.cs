namespace Gateway.Fast.Configuration;

/// <summary>Which management call submitted a settings body; decides the required fields (docs/gateway-api.md#gateways).</summary>
public enum GatewaySettingsInput : byte
{
    /// <summary>POST on Cloudflare's v4 path: <c>id</c> and the six core fields are required, as Cloudflare's API has them.</summary>
    Create,

    /// <summary>Our own POST on <c>/api/management/gateways</c>: only <c>id</c> is required; the baseline's defaults fill the rest.</summary>
    CreateWithDefaults,

    /// <summary>PUT: the six core fields are required; <c>id</c> comes from the URL.</summary>
    Replace,

    /// <summary>PATCH (ours, <c>/api/management</c> only): every field is optional.</summary>
    Patch,
}
