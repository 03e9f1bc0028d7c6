using System.Buffers;

namespace Gateway.Fast.Forwarding;

/// <summary>The read buffer of a filter that does not read into the client's buffer: 16 KiB from the pool, rented at the first read.</summary>
/// <remarks>16 KiB holds many SSE events; the provider's chunks are far smaller, so one read rarely fills it.</remarks>
internal struct PooledReadBuffer
{
    private const int Size = 16 * 1024;
    private byte[]? _array;

    public Memory<byte> Memory => _array ??= ArrayPool<byte>.Shared.Rent(Size);

    public void Return()
    {
        if (_array is { } array)
        {
            _array = null;
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
