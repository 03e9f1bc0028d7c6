namespace Gateway.Fast.Compat;

/// <summary>What every translated answer carries: the chunk/completion id, the model as the caller named it, the time.</summary>
/// <param name="Id">e.g. <c>chatcmpl-{log id}</c>, the same in every chunk of a stream.</param>
/// <param name="Model">The model string the caller sent (with its provider prefix).</param>
/// <param name="Created">Unix seconds.</param>
/// <param name="IncludeUsage">The caller asked for a final usage chunk (<c>stream_options.include_usage</c>).</param>
internal readonly record struct CompatResponseInfo(string Id, string Model, long Created, bool IncludeUsage);
