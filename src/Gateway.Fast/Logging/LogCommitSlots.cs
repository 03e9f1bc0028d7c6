using System.Buffers.Binary;
using FASTER.core;
using Microsoft.Win32.SafeHandles;

namespace Gateway.Fast.Logging;

/// <summary>FasterLog's commit records in one file of two slots, each commit written in place over the older one,
/// instead of a new file per commit.</summary>
/// <remarks>
/// <para>FASTER's own commit manager (<c>DeviceLogCommitCheckpointManager</c>) creates a file for every commit, opens a
/// device on it, writes the record, closes it and deletes the previous commit's file on another thread: at one commit
/// every 100 ms that was ten file creations and deletions a second whatever the load, each blocking a thread-pool
/// thread. Here the file stays open and a commit is one write at the offset of the slot not holding the newest
/// commit.</para>
/// <para>What recovery reads is unchanged: FasterLog asks for the commits newest first and takes the first whose
/// record it can read. Each slot carries its commit number and a CRC-32C, so a slot the process died while writing
/// reads as absent and the other slot, the commit before it, is the newest; FASTER's manager kept only the newest
/// file. Writes go through <see cref="FileOptions.WriteThrough"/>, as FASTER's devices do.</para>
/// <code>
/// slot = u32 magic "GFCS"  i64 commit-number  i32 length  metadata  u32 crc32c(commit-number, length, metadata)
/// </code>
/// <para>A folder written before this file existed has its commits in <c>log-commits/commit.N</c> files: they are read
/// through FASTER's manager until the first commit here, then deleted.</para>
/// </remarks>
internal sealed class LogCommitSlots : ILogCommitManager
{
    /// <summary>The file's name, beside the log's segments.</summary>
    public const string FileName = "commit-slots";

    /// <summary>Bytes of one slot: FasterLog's commit record holds addresses, a commit number and its named iterators
    /// and cookie, neither of which the store uses (44 bytes in all).</summary>
    public const int SlotBytes = 4096;

    private const uint Magic = 0x53434647; // "GFCS"
    private const int HeaderBytes = 4 + 8 + 4;
    private const int CrcBytes = 4;

    private readonly SafeFileHandle _file;
    private readonly long[] _numbers = new long[2]; // the commit number in each slot; 0 for none
    private readonly byte[] _slot = new byte[SlotBytes];
    private DeviceLogCommitCheckpointManager? _legacy;

    /// <param name="directory">The log's folder (<c>logs/log</c>).</param>
    public LogCommitSlots(string directory)
    {
        Directory.CreateDirectory(directory);
        _file = File.OpenHandle(Path.Combine(directory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite,
            FileOptions.WriteThrough);
        for (var slot = 0; slot < _numbers.Length; slot++)
        {
            _numbers[slot] = TryReadSlot(slot, out var number, out _) ? number : 0;
        }

        // Written by a version that kept a file per commit: readable until the first commit here replaces them.
        var legacyFolder = Path.Combine(directory, new DefaultCheckpointNamingScheme(directory).FasterLogCommitBasePath());
        if (Directory.Exists(legacyFolder) && Directory.EnumerateFileSystemEntries(legacyFolder).Any())
        {
            _legacy = new DeviceLogCommitCheckpointManager(new LocalStorageNamedDeviceFactory(),
                new DefaultCheckpointNamingScheme(directory), removeOutdated: false);
        }
    }

    /// <inheritdoc />
    /// <remarks>Called by FasterLog once the log is flushed up to the commit, one commit at a time.</remarks>
    public void Commit(long beginAddress, long untilAddress, byte[] commitMetadata, long commitNum, bool forceWriteMetadata)
    {
        ArgumentNullException.ThrowIfNull(commitMetadata);
        if (commitMetadata.Length > SlotBytes - HeaderBytes - CrcBytes)
        {
            throw new InvalidOperationException($"A log commit record of {commitMetadata.Length} bytes does not fit a {SlotBytes}-byte slot.");
        }

        // The slot of the older commit (or an empty one): the newest stays whole while this one is written.
        var slot = _numbers[0] <= _numbers[1] ? 0 : 1;
        var span = _slot.AsSpan(0, HeaderBytes + commitMetadata.Length + CrcBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(span[4..], commitNum);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], commitMetadata.Length);
        commitMetadata.CopyTo(span[HeaderBytes..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[^CrcBytes..], Checksum(span));
        RandomAccess.Write(_file, span, (long)slot * SlotBytes);
        _numbers[slot] = commitNum;

        if (_legacy is { } legacy)
        {
            _legacy = null;
            legacy.RemoveAllCommits();
            legacy.Dispose();
        }
    }

    /// <inheritdoc />
    public byte[] GetCommitMetadata(long commitNum)
    {
        for (var slot = 0; slot < _numbers.Length; slot++)
        {
            if (_numbers[slot] == commitNum && TryReadSlot(slot, out var number, out var metadata) && number == commitNum)
            {
                return metadata;
            }
        }

        return _legacy?.GetCommitMetadata(commitNum)
            ?? throw new FasterException($"The log has no commit {commitNum}.");
    }

    /// <inheritdoc />
    public IEnumerable<long> ListCommits()
    {
        var commits = new List<long>(4);
        foreach (var number in _numbers)
        {
            if (number != 0)
            {
                commits.Add(number);
            }
        }

        if (_legacy is { } legacy)
        {
            commits.AddRange(legacy.ListCommits());
        }

        commits.Sort(static (a, b) => b.CompareTo(a)); // newest first, as FasterLog expects
        return commits;
    }

    /// <inheritdoc />
    public void RemoveCommit(long commitNum)
    {
        for (var slot = 0; slot < _numbers.Length; slot++)
        {
            if (_numbers[slot] == commitNum)
            {
                ClearSlot(slot);
            }
        }

        _legacy?.RemoveCommit(commitNum);
    }

    /// <inheritdoc />
    public void RemoveAllCommits()
    {
        for (var slot = 0; slot < _numbers.Length; slot++)
        {
            ClearSlot(slot);
        }

        _legacy?.RemoveAllCommits();
    }

    /// <inheritdoc />
    /// <remarks>The other slot keeps the commit before the recovered one, which the next commit overwrites.</remarks>
    public void OnRecovery(long commitNum)
    {
    }

    public void Dispose()
    {
        _legacy?.Dispose();
        _file.Dispose();
    }

    private bool TryReadSlot(int slot, out long number, out byte[] metadata)
    {
        number = 0;
        metadata = [];
        var read = RandomAccess.Read(_file, _slot, (long)slot * SlotBytes);
        if (read < HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(_slot) != Magic)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(_slot.AsSpan(12));
        if (length < 0 || length > read - HeaderBytes - CrcBytes)
        {
            return false;
        }

        var span = _slot.AsSpan(0, HeaderBytes + length + CrcBytes);
        if (BinaryPrimitives.ReadUInt32LittleEndian(span[^CrcBytes..]) != Checksum(span))
        {
            return false;
        }

        number = BinaryPrimitives.ReadInt64LittleEndian(span[4..]);
        metadata = span[HeaderBytes..^CrcBytes].ToArray();
        return number > 0;
    }

    private void ClearSlot(int slot)
    {
        if (_numbers[slot] != 0)
        {
            RandomAccess.Write(_file, new byte[HeaderBytes + CrcBytes], (long)slot * SlotBytes);
            _numbers[slot] = 0;
        }
    }

    /// <summary>CRC-32C of a slot's commit number, length and metadata (all but its magic and the CRC itself).</summary>
    private static uint Checksum(ReadOnlySpan<byte> slot) => LogRecordCodec.Crc32C(slot[4..^CrcBytes]);
}
