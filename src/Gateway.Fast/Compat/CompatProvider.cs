using Gateway.Fast.Providers;

namespace Gateway.Fast.Compat;

/// <summary>One provider as the unified API reaches it: its catalog slug, family, and native paths (null = not offered).</summary>
/// <param name="Slug">The provider catalog id (<see cref="ProviderCatalog"/>).</param>
/// <param name="Family">OpenAI-compatible, or which translator.</param>
/// <param name="ChatPath">Chat completions under the provider's base (OpenAI-compatible family only; translators name their own).</param>
/// <param name="EmbeddingsPath">Embeddings under the provider's base (OpenAI-compatible family only).</param>
/// <param name="Placement">Where the upstream path names more than the endpoint: Azure's deployment, Bedrock's region.</param>
internal sealed record CompatProvider(string Slug, CompatFamily Family, string? ChatPath = null, string? EmbeddingsPath = null,
    CompatPlacement Placement = CompatPlacement.None)
{
    /// <summary>What goes before the native path: Azure's <c>{resource}/{deployment}/</c>, Bedrock's <c>bedrock-runtime/{region}/</c>.</summary>
    public string PathPrefix(string nativeModel, string region) => Placement switch
    {
        CompatPlacement.Deployment => nativeModel + "/",
        CompatPlacement.Region => "bedrock-runtime/" + region + "/",
        _ => "",
    };

    /// <summary>The model as the native body names it: an Azure deployment without its resource.</summary>
    public string BodyModel(string nativeModel) =>
        Placement == CompatPlacement.Deployment ? nativeModel[(nativeModel.IndexOf('/') + 1)..] : nativeModel;

    /// <summary>The model is <c>{resource}/{deployment}</c> and every call needs an <c>api-version</c> (Azure OpenAI).</summary>
    public bool IsDeployment => Placement == CompatPlacement.Deployment;
}

/// <summary>What a unified call's upstream path carries besides the endpoint.</summary>
internal enum CompatPlacement : byte
{
    None,

    /// <summary>The model is <c>{resource}/{deployment}</c>, and both go in the path (Azure OpenAI).</summary>
    Deployment,

    /// <summary>The path names the region the call goes to (Bedrock).</summary>
    Region,
}
