using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Mswsock;

/// <summary>DisconnectEx and TF_REUSE_SOCKET.</summary>
public class DisconnectExTests : MswsockTest
{
    [Fact]
    public void DisconnectEx_ReuseSocket_ServesAcceptExAgain()
    {
        var (l, addr) = Listen();
        var acceptEx = Load<LPFN_ACCEPTEX>(l, WSAID_ACCEPTEX);
        var disconnectEx = Load<LPFN_DISCONNECTEX>(l, WSAID_DISCONNECTEX);
        var a = Tcp();
        for (int round = 0; round < 3; round++)
        {
            var ov = Overlapped();
            FailsWith(ERROR_IO_PENDING, acceptEx(l, a, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, ov));
            var c = Tcp();
            Ok(connect(c, addr, addr.Length));
            Assert.True(Finish(l, ov, out _), $"round {round}: AcceptEx failed with {WSAGetLastError()}");
            Assert.Equal(1, send(a, [(byte)round], 1, 0));
            var dov = Overlapped();
            Assert.True(disconnectEx(a, dov, TF_REUSE_SOCKET, 0), $"DisconnectEx failed with {WSAGetLastError()}");
            Assert.True(Finish(a, dov, out _));
            var got = new byte[2];
            Assert.Equal(1, recv(c, got, 2, 0));
            Assert.Equal(round, got[0]);
            Assert.Equal(0, recv(c, got, 2, 0)); // the peer sees the graceful end
            closesocket(c);
        }
        closesocket(a); closesocket(l);
    }

    [Fact]
    public void DisconnectEx_ReuseSocket_BindsAndConnectsAgain()
    {
        var (l, addr) = Listen();
        var (c, s) = TcpPair();
        var disconnectEx = Load<LPFN_DISCONNECTEX>(c, WSAID_DISCONNECTEX);
        Assert.True(disconnectEx(c, null, TF_REUSE_SOCKET, 0));
        Assert.Equal(0, recv(s, new byte[1], 1, 0));
        var any = Loopback();
        Ok(bind(c, any, any.Length), "bind after reuse");
        var connectEx = Load<LPFN_CONNECTEX>(c, WSAID_CONNECTEX);
        var ov = Overlapped();
        FailsWith(ERROR_IO_PENDING, connectEx(c, addr, addr.Length, null, 0, out _, ov));
        Assert.True(Finish(c, ov, out _));
        closesocket(c); closesocket(s); closesocket(l);
    }

    [Fact]
    public void DisconnectEx_WithoutReuse_SocketOnlyCloses()
    {
        var (l, _) = Listen();
        var (c, s) = TcpPair();
        var disconnectEx = Load<LPFN_DISCONNECTEX>(c, WSAID_DISCONNECTEX);
        Assert.True(disconnectEx(c, null, 0, 0));
        Assert.Equal(0, recv(s, new byte[1], 1, 0));
        Fails(WSAENOTCONN, send(c, [1], 1, 0));
        var acceptEx = Load<LPFN_ACCEPTEX>(l, WSAID_ACCEPTEX);
        var any = Loopback();
        // Not reusable: neither AcceptEx nor (after bind) ConnectEx takes it.
        var connectEx = Load<LPFN_CONNECTEX>(c, WSAID_CONNECTEX);
        Ok(bind(c, any, any.Length));
        FailsWith(WSAEINVAL, connectEx(c, Loopback(PortOf(l)), 16, null, 0, out _, Overlapped()));
        closesocket(c); closesocket(s); closesocket(l);
        GC.KeepAlive(acceptEx);
    }

    [Fact]
    public void DisconnectEx_BadFlagsOrReserved_WSAEINVAL()
    {
        var (c, s) = TcpPair();
        var disconnectEx = Load<LPFN_DISCONNECTEX>(c, WSAID_DISCONNECTEX);
        FailsWith(WSAEINVAL, disconnectEx(c, null, TF_DISCONNECT, 0));
        FailsWith(WSAEINVAL, disconnectEx(c, null, 0, 1));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void DisconnectEx_NotConnected_WSAENOTCONN()
    {
        var c = Tcp();
        var disconnectEx = Load<LPFN_DISCONNECTEX>(c, WSAID_DISCONNECTEX);
        FailsWith(WSAENOTCONN, disconnectEx(c, null, TF_REUSE_SOCKET, 0));
        FailsWith(WSAENOTSOCK, disconnectEx(SOCKET.Invalid, null, 0, 0));
        closesocket(c);
    }

    [Fact]
    public void DisconnectEx_PendingReceive_CompletesAborted()
    {
        var (c, s) = TcpPair();
        var disconnectEx = Load<LPFN_DISCONNECTEX>(c, WSAID_DISCONNECTEX);
        var ov = Overlapped();
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(c, [new WSABUF(new byte[4])], 1, out _, ref flags, ov, null));
        Assert.True(disconnectEx(c, null, TF_REUSE_SOCKET, 0));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ov.hEvent], false, 20_000, false));
        Assert.Equal(WSA_OPERATION_ABORTED, (int)ov.OffsetHigh);
        closesocket(c); closesocket(s);
    }
}
