using Gateway.Fast.Providers;

namespace Gateway.Fast.Compat;

/// <summary>One unified-API call, ready to send: where, what and how, and how to read the answer back.</summary>
/// <param name="Provider">The catalog provider it goes to.</param>
/// <param name="Translator">Reads the answer back into OpenAI's shape; null when the provider speaks OpenAI and the answer is relayed as is.</param>
/// <param name="Model">The model as the caller wrote it (echoed in translated answers).</param>
/// <param name="NativeModel">The provider's id (<c>cf-aig-model</c>, the log row, prices).</param>
/// <param name="Path">The provider path (the log row's <c>path</c>, the usage reader's format choice).</param>
/// <param name="Url">The upstream URL.</param>
/// <param name="Body">The native body.</param>
/// <param name="Headers">The credential in the provider's header, and the translator's extra headers.</param>
/// <param name="IncludeUsage">The caller asked for a usage chunk (<c>stream_options.include_usage</c>).</param>
internal sealed record UnifiedCall(ResolvedProvider Provider, ICompatResponseTranslator? Translator, string Model, string NativeModel, string Path,
    string Url, byte[] Body, List<KeyValuePair<string, string>> Headers, bool IncludeUsage);
