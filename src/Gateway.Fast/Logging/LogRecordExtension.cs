namespace Gateway.Fast.Logging;

/// <summary>Tags of the optional fields a version 2 record carries after the fixed ones (<see cref="LogRecordCodec"/>).</summary>
/// <remarks>A new row field gets the next tag here rather than a new format version: readers skip tags they do not know,
/// so logs written by a newer gateway stay readable by an older one.</remarks>
internal enum LogRecordExtension : byte
{
    None = 0,
}
