using System.Buffers.Binary;

namespace Gateway.Fast.Compat.Bedrock;

/// <summary>CRC-32 (IEEE 802.3, reflected polynomial <c>0xEDB88320</c>), the checksum of AWS event-stream preludes and messages.</summary>
/// <remarks>
/// Slicing-by-8: eight 256-entry tables let one step fold eight bytes, about four times the speed of the byte-wise
/// loop; every streamed frame is summed twice (prelude and message), so this is on the per-chunk path.
/// <c>System.IO.Hashing.Crc32</c> would be faster still, but it is a package the gateway does not otherwise need.
/// </remarks>
internal static class EventStreamCrc32
{
    private static readonly uint[] Tables = CreateTables();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        ReadOnlySpan<uint> t = Tables;
        while (data.Length >= 8)
        {
            uint one = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            uint two = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = t[(7 * 256) + (int)(one & 0xFF)] ^ t[(6 * 256) + (int)((one >> 8) & 0xFF)]
                ^ t[(5 * 256) + (int)((one >> 16) & 0xFF)] ^ t[(4 * 256) + (int)(one >> 24)]
                ^ t[(3 * 256) + (int)(two & 0xFF)] ^ t[(2 * 256) + (int)((two >> 8) & 0xFF)]
                ^ t[256 + (int)((two >> 16) & 0xFF)] ^ t[(int)(two >> 24)];
            data = data[8..];
        }

        foreach (byte b in data)
        {
            crc = t[(int)((crc ^ b) & 0xFF)] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] CreateTables()
    {
        var tables = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            tables[i] = c;
        }

        for (int i = 0; i < 256; i++)
        {
            for (int slice = 1; slice < 8; slice++)
            {
                uint previous = tables[((slice - 1) * 256) + i];
                tables[(slice * 256) + i] = (previous >> 8) ^ tables[(int)(previous & 0xFF)];
            }
        }

        return tables;
    }
}
