using Winsock2.Tests.Tracing;
using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>
/// A socket made through the tracing layer completes to the port it is associated with: the base provider completes on
/// its own handle, which SIO_BASE_HANDLE names and which shares the layered socket's association.
/// </summary>
public class TracingLayerCompletionTests : TracingTest
{
    private HANDLE? _port;

    private HANDLE Port() => _port ??= CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0)!;

    public override void Dispose()
    {
        if (_port is not null) CloseHandle(_port);
        base.Dispose();
    }

    private (SOCKET Client, SOCKET Server) LayeredPair()
    {
        var l = Layered(TcpChain);
        var any = Loopback();
        Ok(bind(l, any, any.Length), "bind");
        Ok(listen(l, 4), "listen");
        var addr = Loopback(PortOf(l));
        var c = Layered(TcpChain);
        Ok(connect(c, addr, addr.Length), "connect");
        return (c, Track(Check(accept(l))));
    }

    [Fact]
    public void WSAIoctl_SioBaseHandleThroughLayer_NamesAnotherLiveSocket()
    {
        var s = Layered(TcpChain);
        var output = new byte[8];
        Ok(WSAIoctl(s, SIO_BASE_HANDLE, null, 0, output, 8, out uint returned, null, null), "SIO_BASE_HANDLE");
        Assert.Equal(8u, returned);
        var lower = new SOCKET((nuint)BitConverter.ToUInt64(output));
        Assert.NotEqual(s, lower);
        var plain = Plain(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        Ok(WSAIoctl(plain, SIO_BASE_HANDLE, null, 0, output, 8, out returned, null, null), "SIO_BASE_HANDLE");
        Assert.Equal(plain, new SOCKET((nuint)BitConverter.ToUInt64(output))); // a base provider's socket is its own base
    }

    [Fact]
    public void WSARecv_LayeredSocketAssociated_CompletesToPortWithItsKey()
    {
        var (c, s) = LayeredPair();
        Assert.Equal(Port(), CreateIoCompletionPort((HANDLE)s, Port(), 41, 0));
        var buf = new byte[16];
        uint flags = 0;
        var ov = new WSAOVERLAPPED();
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(buf)], 1, out _, ref flags, ov, null));
        Assert.Equal(6, send(c, Bytes("layers"), 6, 0));
        Assert.True(GetQueuedCompletionStatus(Port(), out uint bytes, out nuint key, out var got, 10_000), $"error {GetLastError()}");
        Assert.Same(ov, got);
        Assert.Equal((6u, (nuint)41), (bytes, key));
        Assert.Equal("layers", Text(buf, 6));
        Assert.True(WSAGetOverlappedResult(s, ov, out bytes, false, out _));
        Assert.Equal(6u, bytes);
    }

    [Fact]
    public void Closesocket_LayeredSocketWithPendingReceive_CompletesToPortAborted()
    {
        var (_, s) = LayeredPair();
        Assert.Equal(Port(), CreateIoCompletionPort((HANDLE)s, Port(), 42, 0));
        uint flags = 0;
        var ov = new WSAOVERLAPPED();
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(new byte[8])], 1, out _, ref flags, ov, null));
        Ok(closesocket(s));
        Assert.False(GetQueuedCompletionStatus(Port(), out _, out nuint key, out var got, 10_000));
        Assert.Equal((uint)ERROR_OPERATION_ABORTED, GetLastError());
        Assert.Same(ov, got);
        Assert.Equal((nuint)42, key);
    }
}
