using System.Runtime.InteropServices;

namespace Gateway.Fast.Logging;

/// <summary>The id index's value: where a row's latest version and its bodies are in the log, and whose it is.</summary>
/// <param name="RowAddress">Address of the newest Row or Update entry of this id.</param>
/// <param name="BodyAddress">Address of the original Row entry (bodies live there); also the row's key in its <see cref="GatewayRows"/>.</param>
/// <param name="GatewayIndex">Index of the gateway in the store's gateway table.</param>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct RowPointer(long RowAddress, long BodyAddress, int GatewayIndex)
{
    public const int Size = 20;
}
