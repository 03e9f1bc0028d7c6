using Gateway.Fast.Storage;
using StackExchange.Redis;

namespace Gateway.Fast.Fleet;

/// <summary>Writes each configuration change to Redis (record, version and notification in one script) before the local
/// store commits it; refuses the change when Redis cannot take it, so no replica holds a change the fleet does not.</summary>
internal sealed class ConfigReplicator(RedisConnection redis) : IConfigReplicator
{
    private readonly RedisValue _channel = redis.KeyPrefix + ConfigKeys.Channel;

    public async ValueTask WriteAsync(string key, string? value, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!redis.TryGetDatabase(out var database))
        {
            throw new ConfigUnavailableException();
        }

        try
        {
            await database.ScriptEvaluateAsync(ConfigKeys.WriteScript, [ConfigKeys.Records, ConfigKeys.Version],
                [key, value ?? "", value is null ? "1" : "0", _channel]).ConfigureAwait(false);
            redis.ReportSuccess();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            redis.ReportFailure(e);
            // A timeout may still have written it: the version check applies whatever Redis holds, here as everywhere.
            throw new ConfigUnavailableException(ConfigUnavailableException.DefaultMessage, e);
        }
    }
}
