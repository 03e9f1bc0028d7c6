namespace Gateway.Fast.Accounting;

/// <summary>
/// Workers AI <c>/run</c>: <c>{"result":{"response":…,"usage":{"prompt_tokens","completion_tokens","total_tokens"}}}</c>,
/// or a last SSE event <c>{"response":"","usage":{…}}</c> before <c>[DONE]</c>. The field names are OpenAI's.
/// </summary>
internal static class WorkersAiUsage
{
    public static UsageSlot Map(ReadOnlySpan<byte> parent, ReadOnlySpan<byte> name) => OpenAIUsage.Map(parent, name);

    public static Usage ToUsage(in UsageAccumulator acc) => OpenAIUsage.ToUsage(acc);
}
