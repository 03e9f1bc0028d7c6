namespace Gateway.Fast.Providers;

/// <summary>How a provider turns the path after its slug into the upstream URL (docs/gateway-api.md#provider-endpoints).</summary>
public enum PathRule : byte
{
    /// <summary><c>base + "/" + path</c>.</summary>
    Append,
    /// <summary>As <see cref="Append"/>, with <c>v1/</c> prepended unless the path starts with <c>v1/</c> (xAI, OpenRouter).</summary>
    PrependV1,
    /// <summary>As <see cref="PrependV1"/>, also accepting <c>v2/</c> (Cohere).</summary>
    PrependV1UnlessV2,
    /// <summary><c>@cf/…</c> and <c>@hf/…</c> become <c>run/@cf/…</c>; <c>{account}</c> comes from the URL.</summary>
    WorkersAi,
    /// <summary><c>{resource}/{deployment}/{path}</c>: the first two segments fill the base template.</summary>
    AzureOpenAi,
    /// <summary><c>bedrock-runtime/{region}/{path}</c> or <c>bedrock-mantle/{region}/{path}</c>.</summary>
    AwsBedrock,
    /// <summary><c>v1/projects/{p}/locations/{region}/…</c>: the region fills the host.</summary>
    GoogleVertex,
    /// <summary><c>model/{id}</c> → the model's own host; anything else appended to the inference base.</summary>
    Baseten,
}
