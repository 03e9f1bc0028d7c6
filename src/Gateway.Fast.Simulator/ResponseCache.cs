using System.Collections.Concurrent;

namespace Gateway.Fast.Simulator;

/// <summary>Precomputed responses by <see cref="ResponseKey"/>: each distinct response is built once, then only copied out.</summary>
internal sealed class ResponseCache
{
    // Keys include the prompt size, so a caller sending ever-changing bodies could grow this without bound;
    // past the cap responses are still built, just not kept. 16k entries of a few KiB each stay well under 100 MiB.
    private const int MaxEntries = 16_384;

    private readonly ConcurrentDictionary<ResponseKey, SimResponse> _entries = new();

    public int Count => _entries.Count;

    public SimResponse Get(in ResponseKey key)
    {
        if (_entries.TryGetValue(key, out var response))
        {
            return response;
        }

        return AddSlow(key);
    }

    private SimResponse AddSlow(ResponseKey key)
    {
        SimResponse response = Create(key);
        return _entries.Count < MaxEntries ? _entries.GetOrAdd(key, response) : response;
    }

    private static SimResponse Create(in ResponseKey key)
    {
        if (key.Status != 0)
        {
            return ErrorResponses.Build(key);
        }

        return key.Endpoint switch
        {
            SimEndpoint.OpenAIChat => OpenAIResponses.Chat(key),
            SimEndpoint.OpenAICompletions => OpenAIResponses.Completions(key),
            SimEndpoint.OpenAIEmbeddings => OpenAIExtraResponses.Embeddings(key),
            SimEndpoint.OpenAIModels => OpenAIExtraResponses.Models(key),
            SimEndpoint.OpenAIResponses => ResponsesApiResponses.Build(key),
            SimEndpoint.AnthropicMessages => AnthropicResponses.Messages(key),
            SimEndpoint.GeminiGenerate or SimEndpoint.GeminiStream => GeminiResponses.Generate(key),
            SimEndpoint.GeminiCountTokens => GeminiResponses.CountTokens(key),
            SimEndpoint.BedrockConverse => BedrockResponses.Converse(key),
            SimEndpoint.BedrockConverseStream => BedrockResponses.ConverseStream(key),
            SimEndpoint.BedrockInvoke => BedrockResponses.Invoke(key),
            SimEndpoint.BedrockInvokeStream => BedrockInvokeStreamResponses.Build(key),
            SimEndpoint.WorkersAiRun => WorkersAiResponses.Run(key),
            SimEndpoint.CohereV1Chat => CohereResponses.V1(key),
            SimEndpoint.CohereV2Chat => CohereResponses.V2(key),
            SimEndpoint.GeminiBatchEmbed => GeminiResponses.BatchEmbed(key),
            SimEndpoint.CohereV2Embed => CohereResponses.Embed(key),
            _ => ErrorResponses.Build(key with { Status = 404 }),
        };
    }
}
