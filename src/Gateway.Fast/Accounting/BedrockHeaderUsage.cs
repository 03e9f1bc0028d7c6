using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Accounting;

/// <summary>
/// Bedrock InvokeModel's plain answers carry the model's own body, which for most models (Titan, Llama, Mistral…) names
/// no usage; Bedrock reports the counts in <c>X-Amzn-Bedrock-Input-Token-Count</c> and <c>X-Amzn-Bedrock-Output-Token-Count</c>.
/// </summary>
internal static class BedrockHeaderUsage
{
    public static bool TryRead(IHeaderDictionary responseHeaders, out Usage usage)
    {
        usage = default;
        if (!int.TryParse(responseHeaders["X-Amzn-Bedrock-Input-Token-Count"], out int input)
            || !int.TryParse(responseHeaders["X-Amzn-Bedrock-Output-Token-Count"], out int output))
        {
            return false;
        }

        usage = new Usage(input, output, null, found: true);
        return true;
    }
}
