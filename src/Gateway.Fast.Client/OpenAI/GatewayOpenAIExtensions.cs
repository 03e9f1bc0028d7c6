using System.ClientModel;
using System.ClientModel.Primitives;
using global::OpenAI;

namespace Gateway.Fast.Client.OpenAI;

/// <summary>Points the official OpenAI .NET SDK at a gateway: the endpoint of a provider (or the unified API) and the gateway's headers.</summary>
public static class GatewayOpenAIExtensions
{
    /// <summary>
    /// Options whose endpoint is <paramref name="provider"/>'s URL on the gateway (<c>openai</c>, or <c>compat</c> for the unified
    /// API where models are <c>{provider}/{model}</c>) and whose pipeline adds the gateway's headers per call
    /// (<paramref name="defaults"/>, then any <see cref="GatewayCall.With"/> scope) and records <see cref="GatewayClient.LastLogId"/>.
    /// </summary>
    public static OpenAIClientOptions CreateOpenAIClientOptions(this GatewayClient client, string gatewayId = "default", string provider = "openai",
        GatewayRequestOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var options = new OpenAIClientOptions { Endpoint = new Uri(client.Gateway(gatewayId).GetUrl(provider) + "/") };
        options.AddPolicy(new GatewayPipelinePolicy(client, defaults), PipelinePosition.PerCall);
        return options;
    }

    /// <summary>An <see cref="OpenAIClient"/> on the gateway, with <paramref name="providerApiKey"/> as the provider's key.</summary>
    public static OpenAIClient CreateOpenAIClient(this GatewayClient client, string providerApiKey, string gatewayId = "default", string provider = "openai",
        GatewayRequestOptions? defaults = null)
        => new(new ApiKeyCredential(providerApiKey), client.CreateOpenAIClientOptions(gatewayId, provider, defaults));
}
