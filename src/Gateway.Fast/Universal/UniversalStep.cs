using Gateway.Fast.Configuration;
using Gateway.Fast.Resilience;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Universal;

/// <summary>One step of a Universal Endpoint fallback chain (docs/gateway-api.md#universal-endpoint), validated and ready to forward.</summary>
public sealed class UniversalStep
{
    public UniversalStep(int index, string provider, string endpoint, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body,
        StepConfig config)
    {
        Index = index;
        Provider = provider;
        Endpoint = endpoint;
        int q = endpoint.IndexOf('?');
        Path = q < 0 ? endpoint : endpoint[..q];
        Query = q < 0 ? string.Empty : endpoint[q..];
        Headers = headers;
        Body = body;
        Config = config;
    }

    /// <summary>Position in the chain; 0 = primary, sent back as <c>cf-aig-step</c>.</summary>
    public int Index { get; }

    /// <summary>Provider slug as given (<c>openai</c>, <c>workers-ai</c>, <c>compat</c>…); not yet checked against the catalog.</summary>
    public string Provider { get; }

    /// <summary>Path under the provider's base, without leading <c>/</c>, query included when the caller wrote one.</summary>
    public string Endpoint { get; }

    /// <summary><see cref="Endpoint"/> up to its <c>?</c>: the <c>rest</c> argument of <c>UpstreamUrl.TryBuild</c>.</summary>
    public string Path { get; }

    /// <summary><see cref="Endpoint"/> from its <c>?</c> on, or empty: the <c>query</c> argument of <c>UpstreamUrl.TryBuild</c>.</summary>
    public string Query { get; }

    /// <summary>The step's headers in order (names and values already checked), a legacy <c>authorization</c> field as <c>Authorization</c>.</summary>
    /// <remarks>Holds per-step <c>cf-aig-*</c> controls too: pass it to <see cref="PolicyResolver"/>, and filter it with
    /// <c>HeaderRules.SkipRequestHeader</c> before sending, as for request headers.</remarks>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>UTF-8 JSON of <c>query</c>, re-serialised compactly; empty when the step has none.</summary>
    public byte[] Body { get; }

    public StepConfig Config { get; }

    /// <summary>This step's timeout and retry rules: its <c>config</c> &gt; its <c>cf-aig-*</c> headers &gt; the request's &gt; the gateway's (docs/gateway-api.md#precedence-of-controls).</summary>
    public RequestPolicy ResolvePolicy(GatewaySettings gateway, IHeaderDictionary requestHeaders, GatewayOptions options)
        => PolicyResolver.Resolve(gateway, requestHeaders, Config, options, Headers);
}
