namespace Gateway.Fast.Simulator;

/// <summary>What a request path asks for; each member has one response builder and one error shape.</summary>
internal enum SimEndpoint : byte
{
    NotFound,
    OpenAIChat,
    OpenAICompletions,
    OpenAIEmbeddings,
    OpenAIModels,
    OpenAIResponses,
    AnthropicMessages,
    GeminiGenerate,
    GeminiStream,
    GeminiCountTokens,
    BedrockConverse,
    BedrockConverseStream,
    BedrockInvoke,
    BedrockInvokeStream,
    WorkersAiRun,
    CohereV1Chat,
    CohereV2Chat,
    GeminiBatchEmbed,
    CohereV2Embed,
    Echo,
}
