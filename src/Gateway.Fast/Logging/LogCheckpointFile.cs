using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;

namespace Gateway.Fast.Logging;

/// <summary>The in-memory part of a store checkpoint: every gateway's block summaries and open block
/// (<see cref="GatewayRows.WriteState"/>), in <c>logs/checkpoint/rows-{sequence}.bin</c>.</summary>
/// <remarks>
/// <code>
/// file = u32 magic "GFLR"  u32 format  i64 sequence  i64 log-address  i32 gateways  gateway-state*  u32 crc32c
/// </code>
/// Written to a temporary name, flushed to disk and renamed, so a name that exists holds a whole file; the CRC catches a
/// file the disk tore anyway. The gateways are in index order: the KVs key their values by that index.
/// </remarks>
internal static class LogCheckpointFile
{
    private const uint Magic = 0x524C4647; // "GFLR"
    private const int HeaderBytes = 4 + 4 + 8 + 8 + 4;
    private const string Prefix = "rows-";
    private const string Suffix = ".bin";

    /// <summary>The state of <paramref name="gateways"/> as the file's bytes (the writer, between two steps).</summary>
    public static byte[] Encode(long sequence, long logAddress, GatewayRows[] gateways)
    {
        var output = new ArrayBufferWriter<byte>(HeaderBytes + (gateways.Length * 1024));
        var header = output.GetSpan(HeaderBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], LogKvCheckpoint.Format);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], logAddress);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], gateways.Length);
        output.Advance(HeaderBytes);
        foreach (var rows in gateways)
        {
            rows.WriteState(output);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(output.GetSpan(4), LogRecordCodec.Crc32C(output.WrittenSpan));
        output.Advance(4);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Writes a checkpoint's file durably (before its KVs' checkpoints complete: until they do, the previous file
    /// still serves the previous checkpoint, so it stays).</summary>
    public static void Write(string directory, long sequence, byte[] contents)
    {
        Directory.CreateDirectory(directory);
        var path = PathOf(directory, sequence);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            file.Write(contents);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Deletes every file but checkpoint <paramref name="sequence"/>'s, once its KVs' checkpoints are on disk
    /// (FASTER deletes their previous ones then).</summary>
    public static void DeleteOthers(string directory, long sequence)
    {
        var path = PathOf(directory, sequence);
        foreach (var other in Directory.EnumerateFiles(directory))
        {
            if (other != path)
            {
                File.Delete(other);
            }
        }
    }

    /// <summary>The gateways of checkpoint <paramref name="sequence"/> at <paramref name="logAddress"/>; null when its file
    /// is missing, torn, of another format or of another checkpoint.</summary>
    public static GatewayRows[]? Read(string directory, long sequence, long logAddress, LogBlockStore store, LogRollup rollup)
    {
        var path = PathOf(directory, sequence);
        if (!File.Exists(path))
        {
            return null;
        }

        ReadOnlySpan<byte> file = File.ReadAllBytes(path);
        if (file.Length < HeaderBytes + 4
            || LogRecordCodec.Crc32C(file[..^4]) != BinaryPrimitives.ReadUInt32LittleEndian(file[^4..])
            || BinaryPrimitives.ReadUInt32LittleEndian(file) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(file[4..]) != LogKvCheckpoint.Format
            || BinaryPrimitives.ReadInt64LittleEndian(file[8..]) != sequence
            || BinaryPrimitives.ReadInt64LittleEndian(file[16..]) != logAddress
            || BinaryPrimitives.ReadInt32LittleEndian(file[24..]) is var count && count < 0)
        {
            return null;
        }

        var gateways = new GatewayRows[count];
        var state = file[HeaderBytes..^4];
        for (var i = 0; i < count; i++)
        {
            if (GatewayRows.ReadState(ref state, i, store, rollup) is not { } rows)
            {
                return null;
            }

            gateways[i] = rows;
        }

        return state.IsEmpty ? gateways : null;
    }

    private static string PathOf(string directory, long sequence)
        => Path.Combine(directory, Prefix + sequence.ToString("D20", CultureInfo.InvariantCulture) + Suffix);
}
