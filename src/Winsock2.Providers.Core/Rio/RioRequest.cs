namespace Winsock2.Providers.Core;

/// <summary>
/// One posted send or receive as the transport sees it (<see cref="RioRequestQueue.TryPeekReceive(out RioRequest)"/>): the data slice
/// (<see cref="Array"/> null and <see cref="Length"/> 0 for a request without data), the application's
/// RequestContext and flags, and for RIOReceiveEx / RIOSendEx the address and flags slices (held apart, so a request
/// without them is small: two references and four numbers).
/// </summary>
public readonly struct RioRequest
{
    private readonly RioExSlices? _ex;

    internal RioRequest(RioSlice data, ulong requestContext, uint flags, RioExSlices? ex)
    {
        Array = data.Array;
        Offset = data.Offset;
        Length = data.Length;
        RequestContext = requestContext;
        Flags = flags;
        _ex = ex;
    }

    /// <summary>The registered array of the data slice, or null for a request without data.</summary>
    public byte[]? Array { get; }

    /// <summary>Where the data slice starts.</summary>
    public int Offset { get; }

    /// <summary>The data slice's length (0 without data).</summary>
    public int Length { get; }

    /// <summary>The RequestContext the application gave; its RIORESULT carries it back.</summary>
    public ulong RequestContext { get; }

    /// <summary>The request's RIO_MSG_* flags (RIO_MSG_WAITALL, RIO_MSG_DONT_NOTIFY, RIO_MSG_DEFER).</summary>
    public uint Flags { get; }

    /// <summary>RIOReceiveEx: where the sender's address goes; RIOSendEx: the destination (Windows sockaddr layout).</summary>
    public RioSlice RemoteAddress => _ex is null ? default : _ex.RemoteAddress;

    /// <summary>RIOReceiveEx / RIOSendEx: the local address slice.</summary>
    public RioSlice LocalAddress => _ex is null ? default : _ex.LocalAddress;

    /// <summary>
    /// RIOReceiveEx: where the received datagram's control records go (a RIO_CMSG_BUFFER: ULONG TotalLength, then
    /// WSACMSGHDR records from <see cref="Ws2Spi.RIO_CMSG_BASE_SIZE"/>); RIOSendEx: the control records to send with it.
    /// </summary>
    public RioSlice ControlContext => _ex is null ? default : _ex.ControlContext;

    /// <summary>RIOReceiveEx: where the received message's flags go (a 4-byte DWORD).</summary>
    public RioSlice FlagsSlice => _ex is null ? default : _ex.FlagsSlice;

    /// <summary>The data slice as a span (empty without data).</summary>
    public Span<byte> Data => Array is null ? default : Array.AsSpan(Offset, Length);
}
