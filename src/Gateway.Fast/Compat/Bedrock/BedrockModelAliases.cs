namespace Gateway.Fast.Compat.Bedrock;

/// <summary>The short Bedrock model names the gateway accepts (<c>nova-pro</c> → <c>amazon.nova-pro-v1:0</c>); any other id passes unchanged.</summary>
internal static class BedrockModelAliases
{
    public static string Resolve(string model) => model switch
    {
        "nova-pro" => "amazon.nova-pro-v1:0",
        "nova-lite" => "amazon.nova-lite-v1:0",
        "nova-micro" => "amazon.nova-micro-v1:0",
        _ => model,
    };
}
