namespace Gateway.Fast.Simulator;

/// <summary>A parsed request path: the endpoint and, where the provider puts it in the URL, the model.</summary>
internal readonly record struct SimRoute(SimEndpoint Endpoint, string? PathModel, bool AltSse = false)
{
    public static readonly SimRoute NotFound = new(SimEndpoint.NotFound, null);
}
