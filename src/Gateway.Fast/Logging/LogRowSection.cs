namespace Gateway.Fast.Logging;

/// <summary>Tags of the optional sections a Row entry carries after its bodies (<see cref="LogRecordCodec"/>).</summary>
/// <remarks>Data read only with the bodies goes here rather than into the record, which the metadata store keeps in
/// memory for every row. A section is written only when it has bytes, so a row without it is the row of before; readers
/// skip tags they do not know. Values never change once shipped: they are on disk.</remarks>
internal enum LogRowSection : byte
{
    None = 0,

    /// <summary>The response headers the gateway sent (<see cref="ResponseHeaderCapture"/>).</summary>
    ResponseHeaders = 1,

    /// <summary>The response body as the capture held it, its full blocks LZ4-compressed (<see cref="LogResponseBlocks"/>);
    /// the row's response body slot is then empty.</summary>
    ResponseBlocks = 2,
}
