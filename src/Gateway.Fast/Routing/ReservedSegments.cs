namespace Gateway.Fast.Routing;

/// <summary>First segments after <c>/v1/</c> that name default routes and so can never be account ids (docs/design.md#surfaces).</summary>
public static class ReservedSegments
{
    public static bool IsReserved(ReadOnlySpan<char> segment) => segment switch
    {
        "chat" or "completions" or "embeddings" or "models" or "model-options"
            or "route-check" or "tokenize" or "responses" or "messages" => true,
        _ => false,
    };
}
