namespace Gateway.Fast.Pipeline.Stages;

/// <summary>What <see cref="TranslateStage.Prepare"/> turns into a provider's native call.</summary>
/// <param name="Body">The OpenAI-shaped JSON body.</param>
/// <param name="PeekedModel">The range of <c>model</c>'s raw value in <paramref name="Body"/> (empty when not peeked).</param>
/// <param name="Endpoint"><c>chat/completions</c>, <c>embeddings</c> or (default routes) <c>completions</c>.</param>
/// <param name="ModelRouting">Default routes: the model may be unprefixed and a <c>provider</c> field may name the provider.</param>
/// <param name="PresentedKey">The caller's provider key, re-expressed in the provider's header; null sends none.</param>
/// <param name="Query">The caller's query string (Azure's <c>api-version</c>).</param>
/// <param name="Account">The account for account-scoped upstreams (Workers AI).</param>
/// <param name="Region">The region Bedrock calls go to.</param>
/// <param name="ForcedProvider">The provider the route itself names (team base paths); the model is then the provider's own.</param>
internal readonly record struct TranslateRequest(ReadOnlyMemory<byte> Body, Range PeekedModel, string Endpoint, bool ModelRouting,
    string? PresentedKey, string? Query, string Account, string Region, string? ForcedProvider = null);
