namespace Gateway.Fast.Guardrails;

/// <summary>Decides which hazard categories a text belongs to; the gateway's policy then decides what each category costs.</summary>
/// <remarks>
/// This is where a moderation model plugs in (for example Llama Guard called through the gateway itself, as Cloudflare
/// does). The built-in <see cref="RuleContentClassifier"/> is a keyword baseline that completes synchronously; a model-backed
/// implementation returns a pending <see cref="ValueTask{TResult}"/>, and should throw only when the model is unreachable
/// (the caller then answers 503/7013 if a rule would block, else lets the request pass, docs/gateway-api.md#guardrails-and-dlp).
/// </remarks>
public interface IContentClassifier
{
    ValueTask<GuardrailCategories> ClassifyAsync(ReadOnlyMemory<byte> textUtf8, GuardCheck check, CancellationToken cancellationToken);
}
