using Gateway.Fast.Providers;

namespace Gateway.Fast.Compat;

/// <summary>One provider as the unified API reaches it: its catalog slug, family, and native paths (null = not offered).</summary>
/// <param name="Slug">The provider catalog id (<see cref="ProviderCatalog"/>).</param>
/// <param name="Family">OpenAI-compatible, or which translator.</param>
/// <param name="ChatPath">Chat completions under the provider's base (OpenAI-compatible family only; translators name their own).</param>
/// <param name="EmbeddingsPath">Embeddings under the provider's base (OpenAI-compatible family only).</param>
internal sealed record CompatProvider(string Slug, CompatFamily Family, string? ChatPath = null, string? EmbeddingsPath = null);
