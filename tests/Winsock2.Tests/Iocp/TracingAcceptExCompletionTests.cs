using Winsock2.Tests.Tracing;
using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>AcceptEx through the tracing layer completes to the layered listener's port, first data included.</summary>
public class TracingAcceptExCompletionTests : TracingTest
{
    private const uint Block = 32;
    private HANDLE? _port;

    private HANDLE Port() => _port ??= CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0)!;

    public override void Dispose()
    {
        if (_port is not null) CloseHandle(_port);
        base.Dispose();
    }

    [Fact]
    public void AcceptEx_ThroughTracingLayerWithFirstData_CompletesToLayeredListenersPort()
    {
        var l = Layered(TcpChain);
        var any = Loopback();
        Ok(bind(l, any, any.Length), "bind");
        Ok(listen(l, 4), "listen");
        Assert.Equal(Port(), CreateIoCompletionPort((HANDLE)l, Port(), 61, 0));
        Ok(WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_ACCEPTEX, out LPFN_ACCEPTEX? acceptEx, out _, null, null));
        var a = Layered(TcpChain);
        var buffer = new byte[8 + 2 * Block];
        var ov = new WSAOVERLAPPED();
        Assert.False(acceptEx!(l, a, buffer, 8, Block, Block, out _, ov));
        Assert.Equal(ERROR_IO_PENDING, WSAGetLastError());
        var c = Plain(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        var addr = Loopback(PortOf(l));
        Ok(connect(c, addr, addr.Length), "connect");
        Assert.Equal(8, send(c, Bytes("layered!"), 8, 0));
        Assert.True(GetQueuedCompletionStatus(Port(), out uint bytes, out nuint key, out var got, 10_000), $"error {GetLastError()}");
        Assert.Same(ov, got);
        Assert.Equal((8u, (nuint)61), (bytes, key));
        Assert.Equal("layered!", Text(buffer, 8));
    }
}
