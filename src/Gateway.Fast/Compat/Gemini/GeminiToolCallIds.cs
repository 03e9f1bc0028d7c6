namespace Gateway.Fast.Compat.Gemini;

/// <summary>
/// OpenAI tool-call ids for Gemini function calls, which have none (or an optional <c>id</c>), carrying the call's
/// <c>thoughtSignature</c> so that it comes back to Gemini with the conversation.
/// </summary>
/// <remarks>
/// Gemini 3 rejects a history whose function calls lack the <c>thoughtSignature</c> it sent (a 400,
/// ai.google.dev/gemini-api/docs/thought-signatures), and OpenAI's message shape has no field for it. The tool-call id is
/// the one string an OpenAI client echoes back verbatim, so the signature rides in it after <see cref="Separator"/>:
/// <c>call_{response}_{n}__thought__{signature}</c>. Ids are unique per response (the compat id is per request) so that a
/// client keying results by id across turns never sees a repeat.
/// </remarks>
internal static class GeminiToolCallIds
{
    public const string Separator = "__thought__";

    /// <summary>
    /// What Google documents for a function call whose signature was lost (history from another model, or a client that
    /// rebuilt ids): Gemini 3 then skips validation instead of failing the turn.
    /// </summary>
    public const string SkipValidator = "skip_thought_signature_validator";

    /// <remarks>Gemini's own optional <c>functionCall.id</c> is not reused: AI Studio matches responses by name and order.</remarks>
    public static string Create(string responseId, int index, string? thoughtSignature)
    {
        string id = $"call_{Tail(responseId)}_{index}";
        return thoughtSignature is null ? id : id + Separator + thoughtSignature;
    }

    /// <summary>Splits an id written by <see cref="Create"/> into the signature (or null); ids from elsewhere have none.</summary>
    public static string? Signature(string toolCallId)
    {
        int at = toolCallId.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? null : toolCallId[(at + Separator.Length)..];
    }

    private static ReadOnlySpan<char> Tail(string responseId)
    {
        int dash = responseId.LastIndexOf('-');
        return dash < 0 ? responseId : responseId.AsSpan(dash + 1);
    }
}
