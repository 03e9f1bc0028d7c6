using System.Text.Json;

namespace Gateway.Fast.Compat;

/// <summary>The caller's OpenAI chat-completions request, parsed once by the compat stage.</summary>
/// <param name="Root">The request object: <c>messages</c>, <c>tools</c>, <c>tool_choice</c>, <c>response_format</c>, <c>stop</c>, sampling parameters…</param>
/// <param name="Model">The native model id: <c>model</c> without its <c>{provider}/</c> prefix (aliases already resolved).</param>
/// <param name="Stream"><c>stream: true</c>.</param>
/// <param name="IncludeUsage"><c>stream_options.include_usage: true</c>.</param>
internal readonly record struct CompatChatRequest(JsonElement Root, string Model, bool Stream, bool IncludeUsage);
