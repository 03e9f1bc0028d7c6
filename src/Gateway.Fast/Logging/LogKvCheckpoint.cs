using System.Buffers.Binary;
using FASTER.core;

namespace Gateway.Fast.Logging;

/// <summary>Checkpoints of the log store's three FASTER KVs (id index, row blocks, analytics), each tagged with a cookie
/// that says which store checkpoint it belongs to and which log address it covers.</summary>
/// <remarks>
/// <para>FASTER keeps a user cookie in each checkpoint's metadata (<c>CommitCookie</c>, read back as
/// <c>RecoveredCommitCookie</c>), written with the checkpoint itself, so a KV's checkpoint and its tag cannot disagree.
/// The store trusts the three only when their cookies are equal (the same sequence number and address): a crash between
/// two of them leaves them unequal, and the store replays the whole log instead.</para>
/// <code>
/// cookie = u32 magic "GFLK"  u32 format  i64 sequence  i64 log-address
/// </code>
/// </remarks>
internal static class LogKvCheckpoint
{
    /// <summary>Raised when the layout of the KVs' values or of <see cref="LogCheckpointFile"/> changes: an older checkpoint is
    /// then ignored (the log is replayed whole) rather than misread.</summary>
    public const uint Format = 1;

    private const uint Magic = 0x4B4C4647; // "GFLK"
    private const int CookieBytes = 24;

    public static byte[] Cookie(long sequence, long logAddress)
    {
        var cookie = new byte[CookieBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(cookie, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(cookie.AsSpan(4), Format);
        BinaryPrimitives.WriteInt64LittleEndian(cookie.AsSpan(8), sequence);
        BinaryPrimitives.WriteInt64LittleEndian(cookie.AsSpan(16), logAddress);
        return cookie;
    }

    /// <summary>The sequence number and log address of a cookie of this format; false for anything else.</summary>
    public static bool TryRead(byte[]? cookie, out long sequence, out long logAddress)
    {
        sequence = logAddress = 0;
        if (cookie is not { Length: CookieBytes } || BinaryPrimitives.ReadUInt32LittleEndian(cookie) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(cookie.AsSpan(4)) != Format)
        {
            return false;
        }

        sequence = BinaryPrimitives.ReadInt64LittleEndian(cookie.AsSpan(8));
        logAddress = BinaryPrimitives.ReadInt64LittleEndian(cookie.AsSpan(16));
        return true;
    }

    /// <summary>Recovers the KV's latest checkpoint; its cookie, or null when there is none or it cannot be read (torn).</summary>
    public static byte[]? Recover(FasterKV<SpanByte, SpanByte> kv)
    {
        try
        {
            kv.Recover();
            return kv.RecoveredCommitCookie ?? [];
        }
        catch (Exception)
        {
            // No checkpoint (a new store, or one from before checkpoints), or a torn one: the caller rebuilds from the log.
            return null;
        }
    }

    /// <summary>Starts a fold-over checkpoint of the index and the log tagged with <paramref name="cookie"/>; false when
    /// FASTER is busy with another state change.</summary>
    public static bool TryBegin(FasterKV<SpanByte, SpanByte> kv, byte[] cookie)
    {
        kv.CommitCookie = cookie;
        return kv.TryInitiateFullCheckpoint(out _, CheckpointType.FoldOver);
    }

    /// <summary>Drives a started checkpoint to the end: its pages and metadata are on disk when this completes.</summary>
    public static Task CompleteAsync(FasterKV<SpanByte, SpanByte> kv) => Task.Run(async () => await kv.CompleteCheckpointAsync().ConfigureAwait(false));

    /// <summary>Deletes the KV's files below its begin address, once a checkpoint that starts there is on disk (the
    /// compactions only move the begin address: the previous checkpoint still needed those files).</summary>
    public static void Truncate(FasterKV<SpanByte, SpanByte> kv) => kv.Log.Truncate();
}
