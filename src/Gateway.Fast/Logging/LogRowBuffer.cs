namespace Gateway.Fast.Logging;

/// <summary>One encoded Row entry (record and bodies, CRC included) in an array rented from <see cref="LogBufferPool"/>.</summary>
/// <remarks>
/// Made on the request thread by <see cref="LogRecordCodec.EncodeRow"/>, which copies each body once, straight from its
/// pooled buffer; <see cref="ILogStore.AppendAsync"/> takes ownership and the writer returns the array once the entry
/// is in the log. <see cref="GatewayId"/> rides along so the writer finds the gateway without decoding a string.
/// </remarks>
public readonly struct LogRowBuffer(byte[] buffer, int length, string gatewayId)
{
    public byte[] Buffer { get; } = buffer;

    public int Length { get; } = length;

    public string GatewayId { get; } = gatewayId;

    public ReadOnlySpan<byte> Entry => Buffer.AsSpan(0, Length);

    /// <summary>Gives the array back to the pool; the buffer must not be used afterwards.</summary>
    public void Return()
    {
        if (Buffer is { Length: > 0 })
        {
            LogBufferPool.Return(Buffer);
        }
    }
}
