namespace Gateway.Fast.Configuration;

/// <summary>Which management call submitted a settings body; decides the required fields (spec §6.2, §9).</summary>
public enum GatewaySettingsInput : byte
{
    /// <summary>POST on Cloudflare's v4 path: <c>id</c> and the six core fields are required, as Cloudflare's API has them.</summary>
    Create,

    /// <summary>[ours] POST on <c>/api/management/gateways</c>: only <c>id</c> is required; the baseline's defaults fill the rest.</summary>
    CreateWithDefaults,

    /// <summary>PUT: the six core fields are required; <c>id</c> comes from the URL.</summary>
    Replace,

    /// <summary>PATCH ([ours], <c>/api/management</c>): every field is optional.</summary>
    Patch,
}
