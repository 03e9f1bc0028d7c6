using System.Text.Json;
using Gateway.Fast.Compat;
using Gateway.Fast.Errors;
using Gateway.Fast.Pipeline.Stages;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Pipeline.Handlers;

/// <summary>
/// The questions about the catalog that call no provider (cold paths, kept out of the request path's types):
/// <c>/v1/models</c>, <c>/v1/model-options</c>, <c>/v1/route-check?model=</c>, <c>/v1/tokenize</c>, and a team path's
/// <c>models</c>.
/// </summary>
internal sealed class CatalogEndpoints(Accounting.CostCalculator costs, BodyStage body)
{
    /// <summary><c>GET /v1/route-check?model=…[&amp;provider=…]</c>: which provider a model would go to, and why.</summary>
    public static async ValueTask<GatewayError> RouteCheckAsync(RequestContext ctx)
    {
        var query = ctx.Http.Request.Query;
        if (query["model"] is not { Count: 1 } models || string.IsNullOrEmpty(models[0]))
        {
            ctx.ErrorDetail = "route-check needs ?model=";
            return GatewayError.ChatCompletionBadFormat;
        }

        string model = models[0]!;
        string? explicitProvider = query["provider"] is { Count: 1 } p ? p[0] : null;
        var error = DefaultRouting.Resolve(explicitProvider, model, out var row, out string nativeModel, out string? detail);
        if (error != GatewayError.None)
        {
            ctx.ErrorDetail = detail;
            return error;
        }

        await WriteJsonAsync(ctx.Http, json =>
        {
            json.WriteStartObject();
            json.WriteString("model"u8, model);
            json.WriteString("provider"u8, row!.Slug);
            json.WriteString("native_model"u8, nativeModel);
            string? pattern = explicitProvider is not null || model.Contains('/') && !model.StartsWith('@') ? null : DefaultRouting.MatchingPattern(model);
            if (pattern is null)
            {
                json.WriteNull("pattern"u8);
            }
            else
            {
                json.WriteString("pattern"u8, pattern);
            }

            json.WriteBoolean("translated"u8, row.Family != CompatFamily.OpenAICompatible);
            json.WriteBoolean("available"u8, CompatTranslators.Supports(row.Family));
            json.WriteEndObject();
        });
        return GatewayError.None;
    }

    /// <summary>
    /// <c>POST /v1/tokenize</c> <c>{model?, text | input | prompt | messages}</c>: a real o200k tokenizer count of the text
    /// (<c>Microsoft.ML.Tokenizers</c>), the same count the gateway uses when a provider reports no usage.
    /// </summary>
    public async ValueTask<GatewayError> TokenizeAsync(RequestContext ctx)
    {
        var bodyError = await body.ReadAsync(ctx);
        if (bodyError != GatewayError.None)
        {
            return bodyError;
        }

        int tokens;
        string? model = null;
        try
        {
            using var document = JsonDocument.Parse(ctx.Body.Memory);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException();
            }

            model = root.TryGetProperty("model"u8, out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            if (root.TryGetProperty("messages"u8, out _))
            {
                tokens = Accounting.TokenEstimator.CountRequestText(ctx.Body.Span);
            }
            else if (TryGetText(root, out string? text))
            {
                tokens = Accounting.TokenEstimator.Count(text);
            }
            else
            {
                ctx.ErrorDetail = "tokenize needs \"text\", \"input\", \"prompt\" or \"messages\"";
                return GatewayError.ChatCompletionBadFormat;
            }
        }
        catch (JsonException)
        {
            ctx.ErrorDetail = "the body must be a JSON object";
            return GatewayError.ChatCompletionBadFormat;
        }

        await WriteJsonAsync(ctx.Http, json =>
        {
            json.WriteStartObject();
            if (model is null)
            {
                json.WriteNull("model"u8);
            }
            else
            {
                json.WriteString("model"u8, model);
            }

            json.WriteNumber("tokens"u8, tokens);
            json.WriteString("tokenizer"u8, "o200k_base"u8);
            json.WriteEndObject();
        });
        return GatewayError.None;
    }

    private static bool TryGetText(JsonElement root, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? text)
    {
        foreach (var name in TextFields)
        {
            if (root.TryGetProperty(name, out var value))
            {
                if (value.ValueKind == JsonValueKind.String)
                {
                    text = value.GetString()!;
                    return true;
                }

                if (value.ValueKind == JsonValueKind.Array)
                {
                    var parts = new List<string>();
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.String)
                        {
                            parts.Add(item.GetString()!);
                        }
                    }

                    text = string.Join("\n", parts);
                    return true;
                }
            }
        }

        text = null;
        return false;
    }

    private static readonly IReadOnlyList<string> TextFields = Json.JsonTextProperties.DefaultRouteInput;

    /// <summary>OpenAI's model list: every priced model of every provider the unified API reaches, as <c>{provider}/{model}</c>.</summary>
    public void WriteModels(Utf8JsonWriter json) => WriteModelList<object?>(json, static (provider, _, _) =>
        CompatCatalog.TryGetBySlug(provider, out var row) && CompatTranslators.Supports(row.Family), qualified: true, null);

    /// <summary>
    /// OpenAI's model list shape over the price table: the models <paramref name="include"/> admits, named
    /// <c>{provider}/{model}</c> when <paramref name="qualified"/>, else by their own names.
    /// </summary>
    private void WriteModelList<TState>(Utf8JsonWriter json, Func<string, string, TState, bool> include, bool qualified, TState state)
    {
        json.WriteStartObject();
        json.WriteString("object"u8, "list"u8);
        json.WriteStartArray("data"u8);
        foreach (var (provider, model) in costs.Prices.Models())
        {
            if (!include(provider, model, state))
            {
                continue;
            }

            json.WriteStartObject();
            json.WriteString("id"u8, qualified ? provider + "/" + model : model);
            json.WriteString("object"u8, "model"u8);
            json.WriteNumber("created"u8, 0);
            json.WriteString("owned_by"u8, provider);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The routing table: each provider of the unified API, whether it is translated, its endpoints and its model patterns.</summary>
    public static void WriteModelOptions(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartArray("providers"u8);
        foreach (var row in CompatCatalog.All)
        {
            json.WriteStartObject();
            json.WriteString("id"u8, row.Slug);
            json.WriteBoolean("translated"u8, row.Family != CompatFamily.OpenAICompatible);
            json.WriteBoolean("available"u8, CompatTranslators.Supports(row.Family));
            json.WriteStartArray("endpoints"u8);
            json.WriteStringValue(OpenAIEndpoints.Chat);
            if (row.Family == CompatFamily.OpenAICompatible && row.EmbeddingsPath is not null)
            {
                json.WriteStringValue(OpenAIEndpoints.Embeddings);
            }

            if (row.Family == CompatFamily.OpenAICompatible)
            {
                json.WriteStringValue(OpenAIEndpoints.LegacyCompletions);
            }

            json.WriteEndArray();
            json.WriteStartArray("patterns"u8);
            foreach (var (pattern, slug) in DefaultRouting.Patterns)
            {
                if (slug == row.Slug)
                {
                    json.WriteStringValue(pattern);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static async Task WriteJsonAsync(HttpContext http, Action<Utf8JsonWriter> write)
    {
        var response = http.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(response.BodyWriter))
        {
            write(json);
        }

        await response.BodyWriter.FlushAsync(http.RequestAborted);
    }

    /// <summary>
    /// OpenAI's model list for one base path: the priced models of <paramref name="provider"/> by their own names (what
    /// these paths take as <c>model</c>), only those a limited key may call.
    /// </summary>
    public void WriteProviderModels(Utf8JsonWriter json, string provider, Access.TeamKey key) =>
        WriteModelList(json, static (owner, model, state) => owner == state.provider && state.key.AllowsModel(model), qualified: false,
            (provider, key));
}
