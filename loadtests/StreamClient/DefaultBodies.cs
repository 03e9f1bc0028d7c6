namespace StreamClient;

/// <summary>Chat bodies used when no --body is given; the same shape as loadtests/bodies/*.json.</summary>
internal static class DefaultBodies
{
    public const string Plain =
        """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a load test."},{"role":"user","content":"Say hello."}]}""";

    public const string Stream =
        """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a load test."},{"role":"user","content":"Say hello."}],"stream":true}""";
}
