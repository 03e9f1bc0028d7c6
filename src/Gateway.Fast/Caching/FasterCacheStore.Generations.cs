using System.Buffers.Binary;
using System.Text;
using FASTER.core;

namespace Gateway.Fast.Caching;

/// <summary>Per-gateway generations: the purge counter mixed into every <see cref="CacheKey"/>.</summary>
/// <remarks>
/// Keys do not carry the gateway in clear, so a purge cannot find its entries. Instead each gateway has a generation
/// (0 until its first purge); a purge increments it, so every key computed before is unreachable, and the old records
/// expire or age out of the log. The map lives in memory (copy-on-write, read without locks) and in the store under the
/// reserved 1-byte key <c>0x00</c> (an entry key is always 32 bytes), as <c>count (uint16), then id length (uint8),
/// id (UTF-8), generation (int64)</c> per gateway. A purge checkpoints before it returns, so a restart never
/// resurrects purged entries.
/// </remarks>
public sealed partial class FasterCacheStore
{
    private static readonly byte[] GenerationsKey = [0];

    private readonly SemaphoreSlim _purgeLock = new(1, 1);
    private Dictionary<string, long> _generations;

    /// <inheritdoc />
    public long GetGeneration(ReadOnlySpan<char> gatewayId)
        => Volatile.Read(ref _generations).GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(gatewayId, out long generation)
            ? generation
            : 0;

    /// <inheritdoc />
    public async ValueTask<long> PurgeGatewayAsync(string gatewayId)
    {
        ArgumentException.ThrowIfNullOrEmpty(gatewayId);
        if (Encoding.UTF8.GetByteCount(gatewayId) > byte.MaxValue)
        {
            throw new ArgumentException("A gateway id is at most 255 UTF-8 bytes.", nameof(gatewayId));
        }

        await _purgeLock.WaitAsync().ConfigureAwait(false);
        long generation;
        try
        {
            var next = new Dictionary<string, long>(Volatile.Read(ref _generations), StringComparer.Ordinal);
            generation = next.GetValueOrDefault(gatewayId) + 1;
            next[gatewayId] = generation;
            WriteGenerations(next);
            Volatile.Write(ref _generations, next);
        }
        finally
        {
            _purgeLock.Release();
        }

        await CheckpointAsync().ConfigureAwait(false);
        return generation;
    }

    /// <inheritdoc />
    public async ValueTask<bool> RaiseGenerationAsync(string gatewayId, long generation)
    {
        ArgumentException.ThrowIfNullOrEmpty(gatewayId);
        if (GetGeneration(gatewayId) >= generation)
        {
            return false;
        }

        await _purgeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            var current = Volatile.Read(ref _generations);
            if (current.GetValueOrDefault(gatewayId) >= generation)
            {
                return false;
            }

            var next = new Dictionary<string, long>(current, StringComparer.Ordinal) { [gatewayId] = generation };
            WriteGenerations(next);
            Volatile.Write(ref _generations, next);
        }
        finally
        {
            _purgeLock.Release();
        }

        await CheckpointAsync().ConfigureAwait(false);
        return true;
    }

    private Dictionary<string, long> LoadGenerations()
    {
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        var session = RentSession();
        var output = default(CacheReadOutput);
        try
        {
            var k = SpanByte.FromFixedSpan((ReadOnlySpan<byte>)GenerationsKey);
            var status = WaitForPending(session, session.Read(ref k, ref output), ref output);

            if (status.Found && output.Buffer is not null && !TryParseGenerations(output.Buffer.AsSpan(0, output.Length), map))
            {
                throw new InvalidDataException("The cache store's generations record is malformed.");
            }
        }
        finally
        {
            output.Release();
            ReturnSession(session);
        }

        return map;
    }

    private void WriteGenerations(Dictionary<string, long> map)
    {
        int size = 2;
        foreach (var id in map.Keys)
        {
            size += 1 + Encoding.UTF8.GetByteCount(id) + 8;
        }

        var bytes = new byte[size];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)map.Count);
        int pos = 2;
        foreach (var (id, generation) in map)
        {
            int length = Encoding.UTF8.GetBytes(id, bytes.AsSpan(pos + 1));
            bytes[pos] = (byte)length;
            pos += 1 + length;
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(pos), generation);
            pos += 8;
        }

        Upsert(GenerationsKey, bytes);
    }

    private static bool TryParseGenerations(ReadOnlySpan<byte> record, Dictionary<string, long> map)
    {
        if (record.Length < 2)
        {
            return false;
        }

        int count = BinaryPrimitives.ReadUInt16LittleEndian(record);
        int pos = 2;
        for (int i = 0; i < count; i++)
        {
            if (record.Length - pos < 1)
            {
                return false;
            }

            int length = record[pos++];
            if (length == 0 || record.Length - pos < length + 8)
            {
                return false;
            }

            string id = Encoding.UTF8.GetString(record.Slice(pos, length));
            pos += length;
            map[id] = BinaryPrimitives.ReadInt64LittleEndian(record[pos..]);
            pos += 8;
        }

        return pos == record.Length;
    }
}
