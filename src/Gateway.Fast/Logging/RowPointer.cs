using System.Runtime.InteropServices;

namespace Gateway.Fast.Logging;

/// <summary>The id index's value: where a row is in the log, and whose it is.</summary>
/// <param name="BodyAddress">Address of the row's Row entry (bodies live there); also the row's key in its <see cref="GatewayRows"/>,
/// whose block holds the row's current version, so a PATCH does not change the pointer.</param>
/// <param name="GatewayIndex">Index of the gateway in the store's gateway table.</param>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct RowPointer(long BodyAddress, int GatewayIndex)
{
    public const int Size = 12;
}
