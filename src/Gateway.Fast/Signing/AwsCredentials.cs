using System.Text;

namespace Gateway.Fast.Signing;

/// <summary>The AWS credentials one SigV4 signature needs: an access key pair, an optional STS session token, the region.</summary>
/// <remarks>
/// <see cref="ToString"/> names only the region: a record prints every member by default, and the secret and the
/// session token must never reach a log line or an error body.
/// </remarks>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken, string Region)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Region = ").Append(Region);
        return true;
    }
}
