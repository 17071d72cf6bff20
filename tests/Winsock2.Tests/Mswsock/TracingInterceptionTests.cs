using Winsock2.Tests.Tracing;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Mswsock;

/// <summary>
/// A layered provider intercepts the extension functions: through the tracing layer, WSAIoctl returns the layer's
/// wrappers, which take the layer's handles, call the base provider's functions with its own, and trace each call.
/// </summary>
public class TracingInterceptionTests : TracingTest
{
    private const uint Block = 32;

    [Fact]
    public void AcceptExConnectEx_ThroughTracingLayer_InterceptedAndWorking()
    {
        var l = Layered(TcpChain);
        var any = Loopback();
        Ok(bind(l, any, any.Length));
        Ok(listen(l, 4));
        var addr = Loopback(PortOf(l));
        Ok(WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_ACCEPTEX, out LPFN_ACCEPTEX? acceptEx, out _, null, null));
        var a = Layered(TcpChain);
        var ov = new WSAOVERLAPPED { hEvent = WSACreateEvent() };
        var buffer = new byte[8 + 2 * Block];
        Assert.False(acceptEx!(l, a, buffer, 8, Block, Block, out _, ov));
        Assert.Equal(ERROR_IO_PENDING, WSAGetLastError());

        var c = Layered(TcpChain);
        Ok(bind(c, any, any.Length));
        Ok(WSAIoctl(c, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_CONNECTEX, out LPFN_CONNECTEX? connectEx, out _, null, null));
        var cov = new WSAOVERLAPPED { hEvent = WSACreateEvent() };
        Assert.False(connectEx!(c, addr, addr.Length, Bytes("via layer"), 9, out _, cov));
        Assert.Equal(ERROR_IO_PENDING, WSAGetLastError());
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [cov.hEvent], false, 20_000, false));
        Assert.True(WSAGetOverlappedResult(c, cov, out uint sent, false, out _), $"ConnectEx: {WSAGetLastError()}");
        Assert.Equal(9u, sent);
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ov.hEvent], false, 20_000, false));
        Assert.True(WSAGetOverlappedResult(l, ov, out uint got, false, out _), $"AcceptEx: {WSAGetLastError()}");
        Assert.True(got > 0);
        // The accept socket (the layer's handle) carries the connection.
        string all = Text(buffer, (int)got) + (got < 9 ? RecvAll(a, 9 - (int)got) : "");
        Assert.Equal("via layer", all);
        var handle = BitConverter.GetBytes((ulong)l.Value);
        Ok(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, handle, handle.Length));

        // The layer saw both functions asked for and each call, with the application's (the layer's) handles.
        Line($"WSPIoctl(s={Hex(l)}, code=", ") = 0 returned=8");
        Line($"AcceptEx(s={Hex(l)}, accept={Hex(a)}, recvlen=8", "= FALSE WSA_IO_PENDING(997)");
        Line($"ConnectEx(s={Hex(c)}, name=127.0.0.1:{PortOf(l)}, sendlen=9", "= FALSE WSA_IO_PENDING(997)");
    }

    [Fact]
    public void AcceptEx_LayeredFunctionWithBaseHandle_WSAENOTSOCK()
    {
        // The wrapper takes only the layer's handles: a base provider's socket is not one of them.
        var l = Layered(TcpChain);
        Ok(WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_ACCEPTEX, out LPFN_ACCEPTEX? acceptEx, out _, null, null));
        var plain = Plain(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        Assert.False(acceptEx!(l, plain, new byte[2 * Block], 0, Block, Block, out _, new WSAOVERLAPPED()));
        Assert.Equal(WSAENOTSOCK, WSAGetLastError());
    }

    [Fact]
    public void WSAPoll_ThroughTracingLayer_AnsweredByTheBase()
    {
        var u = Layered(UdpChain);
        var any = Loopback();
        Ok(bind(u, any, any.Length));
        var fds = new[] { new WSAPOLLFD { fd = u, events = POLLOUT } };
        Assert.Equal(1, WSAPoll(fds, 1, 20_000));
        Assert.Equal(POLLWRNORM, fds[0].revents);
    }
}
