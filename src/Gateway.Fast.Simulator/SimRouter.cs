namespace Gateway.Fast.Simulator;

/// <summary>Maps request paths, shaped like the real providers' (docs/gateway-api.md#provider-endpoints), to a <see cref="SimRoute"/>.</summary>
/// <remarks>
/// Accepted shapes (Kestrel has already percent-decoded the path, so <c>%3A</c> in Bedrock ids arrives as <c>:</c>):
/// <code>
/// [/openai][/v1]/{chat/completions|completions|embeddings|models|responses}   OpenAI and OpenAI-compatible (Groq's /openai/v1)
/// /openai/deployments/{deployment}/{chat/completions|…}                      Azure OpenAI
/// /v1/messages                                                              Anthropic
/// /{v1|v1beta}/…/models/{model}:{generateContent|streamGenerateContent|countTokens|batchEmbedContents}  Gemini
/// /model/{modelId}/{converse|converse-stream|invoke|invoke-with-response-stream}      Bedrock runtime
/// /client/v4/accounts/{account}/ai/run/{*model}                             Workers AI
/// /client/v4/accounts/{account}/ai/v1/{chat/completions|…}                  Workers AI, OpenAI shape
/// /v1/chat, /v2/chat, /v2/embed                                             Cohere
/// /echo[/{**path}]                                                          echo
/// </code>
/// </remarks>
internal static class SimRouter
{
    public static SimRoute Parse(ReadOnlySpan<char> path, ReadOnlySpan<char> query)
    {
        if (path.StartsWith("/echo") && (path.Length == 5 || path[5] == '/'))
        {
            return new SimRoute(SimEndpoint.Echo, null);
        }

        if (path.StartsWith("/model/"))
        {
            return ParseBedrock(path["/model/".Length..]);
        }

        if (path.StartsWith("/client/v4/accounts/"))
        {
            return ParseWorkersAi(path["/client/v4/accounts/".Length..]);
        }

        if (path.StartsWith("/openai/deployments/"))
        {
            ReadOnlySpan<char> rest = path["/openai/deployments/".Length..];
            int slash = rest.IndexOf('/');
            return slash < 0 ? SimRoute.NotFound : new SimRoute(ParseOpenAI(rest[slash..]), null);
        }

        if (path.StartsWith("/openai/v1/"))
        {
            path = path["/openai".Length..];
        }

        if (path.StartsWith("/v1beta/") || path.StartsWith("/v1/"))
        {
            int models = path.LastIndexOf("/models/");
            if (models >= 0)
            {
                ReadOnlySpan<char> tail = path[(models + "/models/".Length)..];
                int colon = tail.LastIndexOf(':');
                if (colon > 0 && tail.IndexOf('/') < 0)
                {
                    return ParseGemini(tail[..colon], tail[(colon + 1)..], query);
                }
            }
        }

        if (path.SequenceEqual("/v1/messages"))
        {
            return new SimRoute(SimEndpoint.AnthropicMessages, null);
        }

        if (path.SequenceEqual("/v1/chat"))
        {
            return new SimRoute(SimEndpoint.CohereV1Chat, null);
        }

        if (path.SequenceEqual("/v2/chat"))
        {
            return new SimRoute(SimEndpoint.CohereV2Chat, null);
        }

        if (path.SequenceEqual("/v2/embed"))
        {
            return new SimRoute(SimEndpoint.CohereV2Embed, null);
        }

        return new SimRoute(ParseOpenAI(path.StartsWith("/v1/") ? path[3..] : path), null);
    }

    private static SimEndpoint ParseOpenAI(ReadOnlySpan<char> rest)
    {
        if (rest.SequenceEqual("/chat/completions")) return SimEndpoint.OpenAIChat;
        if (rest.SequenceEqual("/completions")) return SimEndpoint.OpenAICompletions;
        if (rest.SequenceEqual("/embeddings")) return SimEndpoint.OpenAIEmbeddings;
        if (rest.SequenceEqual("/models")) return SimEndpoint.OpenAIModels;
        if (rest.SequenceEqual("/responses")) return SimEndpoint.OpenAIResponses;
        return SimEndpoint.NotFound;
    }

    private static SimRoute ParseGemini(ReadOnlySpan<char> model, ReadOnlySpan<char> verb, ReadOnlySpan<char> query)
    {
        SimEndpoint endpoint = verb switch
        {
            "generateContent" => SimEndpoint.GeminiGenerate,
            "streamGenerateContent" => SimEndpoint.GeminiStream,
            "countTokens" => SimEndpoint.GeminiCountTokens,
            "batchEmbedContents" => SimEndpoint.GeminiBatchEmbed,
            _ => SimEndpoint.NotFound,
        };

        if (endpoint == SimEndpoint.NotFound || model.IsEmpty)
        {
            return SimRoute.NotFound;
        }

        return new SimRoute(endpoint, ModelNames.Intern(model), HasAltSse(query));
    }

    private static bool HasAltSse(ReadOnlySpan<char> query)
    {
        if (query.StartsWith("?"))
        {
            query = query[1..];
        }

        while (!query.IsEmpty)
        {
            int amp = query.IndexOf('&');
            ReadOnlySpan<char> pair = amp < 0 ? query : query[..amp];
            if (pair.Equals("alt=sse", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            query = amp < 0 ? default : query[(amp + 1)..];
        }

        return false;
    }

    private static SimRoute ParseBedrock(ReadOnlySpan<char> rest)
    {
        int slash = rest.LastIndexOf('/');
        if (slash <= 0)
        {
            return SimRoute.NotFound;
        }

        SimEndpoint endpoint = rest[(slash + 1)..] switch
        {
            "converse" => SimEndpoint.BedrockConverse,
            "converse-stream" => SimEndpoint.BedrockConverseStream,
            "invoke" => SimEndpoint.BedrockInvoke,
            "invoke-with-response-stream" => SimEndpoint.BedrockInvokeStream,
            _ => SimEndpoint.NotFound,
        };

        return endpoint == SimEndpoint.NotFound ? SimRoute.NotFound : new SimRoute(endpoint, ModelNames.Intern(rest[..slash]));
    }

    private static SimRoute ParseWorkersAi(ReadOnlySpan<char> rest)
    {
        int slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return SimRoute.NotFound;
        }

        rest = rest[slash..];
        if (rest.StartsWith("/ai/run/") && rest.Length > "/ai/run/".Length)
        {
            return new SimRoute(SimEndpoint.WorkersAiRun, ModelNames.Intern(rest["/ai/run/".Length..]));
        }

        return rest.StartsWith("/ai/v1/") ? new SimRoute(ParseOpenAI(rest["/ai/v1".Length..]), null) : SimRoute.NotFound;
    }
}
