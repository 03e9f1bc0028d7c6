namespace Gateway.Fast.Configuration;

/// <summary>Which management call submitted a settings body; decides the required fields (spec §6.2).</summary>
public enum GatewaySettingsInput : byte
{
    /// <summary>POST: <c>id</c> and the six core fields are required.</summary>
    Create,

    /// <summary>PUT: the six core fields are required; <c>id</c> comes from the URL.</summary>
    Replace,

    /// <summary>PATCH ([ours], <c>/api/management</c>): every field is optional.</summary>
    Patch,
}
