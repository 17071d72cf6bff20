using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Mswsock;

/// <summary>ConnectEx and SO_UPDATE_CONNECT_CONTEXT.</summary>
public class ConnectExTests : MswsockTest
{
    private static SOCKET BoundTcp()
    {
        var s = Tcp();
        var any = Loopback();
        Ok(bind(s, any, any.Length));
        return s;
    }

    [Fact]
    public void ConnectEx_WithSendData_ConnectsAndSendsIt()
    {
        var (l, addr) = Listen();
        var c = BoundTcp();
        var connectEx = Load<LPFN_CONNECTEX>(c, WSAID_CONNECTEX);
        var ov = Overlapped();
        var data = Bytes("hello");
        FailsWith(ERROR_IO_PENDING, connectEx(c, addr, addr.Length, data, 5, out _, ov));
        Assert.True(Finish(c, ov, out uint sent), $"ConnectEx failed with {WSAGetLastError()}");
        Assert.Equal(5u, sent);
        var s = Check(accept(l));
        var got = new byte[8];
        int n = 0;
        while (n < 5) RecvInto(s, got, ref n);
        Assert.Equal("hello", Text(got, 5));
        Ok(setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, null, 0), "SO_UPDATE_CONNECT_CONTEXT");
        var name = new byte[16];
        int len = 16;
        Ok(getpeername(c, name, ref len));
        Assert.Equal(PortOf(l), SockAddr.ToEndPoint(name).Port);
        closesocket(c); closesocket(s); closesocket(l);
    }

    private static void RecvInto(SOCKET s, byte[] buffer, ref int at)
    {
        var part = new byte[buffer.Length - at];
        int n = recv(s, part, part.Length, 0);
        Assert.True(n > 0, $"recv: {n}, error {WSAGetLastError()}");
        part.AsSpan(0, n).CopyTo(buffer.AsSpan(at));
        at += n;
    }

    [Fact]
    public void ConnectEx_NoSendData_CompletesWithZeroBytes()
    {
        var (l, addr) = Listen();
        var c = BoundTcp();
        var connectEx = Load<LPFN_CONNECTEX>(c, WSAID_CONNECTEX);
        var ov = Overlapped();
        FailsWith(ERROR_IO_PENDING, connectEx(c, addr, addr.Length, null, 0, out _, ov));
        Assert.True(Finish(c, ov, out uint sent));
        Assert.Equal(0u, sent);
        closesocket(c); closesocket(l);
    }

    [Fact]
    public void ConnectEx_Unbound_WSAEINVAL()
    {
        // Wine test_ConnectEx: the socket must be bound first.
        var (l, addr) = Listen();
        var c = Tcp();
        var connectEx = Load<LPFN_CONNECTEX>(c, WSAID_CONNECTEX);
        FailsWith(WSAEINVAL, connectEx(c, addr, addr.Length, null, 0, out _, Overlapped()));
        closesocket(c); closesocket(l);
    }

    [Fact]
    public void ConnectEx_Refused_CompletesWithWSAECONNREFUSED()
    {
        // Wine test_ConnectEx: a port nobody listens on completes with the refusal.
        var (l, addr) = Listen();
        closesocket(l);
        var c = BoundTcp();
        var connectEx = Load<LPFN_CONNECTEX>(c, WSAID_CONNECTEX);
        var ov = Overlapped();
        FailsWith(ERROR_IO_PENDING, connectEx(c, addr, addr.Length, null, 0, out _, ov));
        Assert.False(Finish(c, ov, out _));
        Assert.Equal(WSAECONNREFUSED, WSAGetLastError());
        closesocket(c);
    }

    [Fact]
    public void ConnectEx_AlreadyConnected_WSAEISCONN()
    {
        var (c, s) = TcpPair();
        var connectEx = Load<LPFN_CONNECTEX>(c, WSAID_CONNECTEX);
        var addr = Loopback(PortOf(s));
        FailsWith(WSAEISCONN, connectEx(c, addr, addr.Length, null, 0, out _, Overlapped()));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void ConnectEx_BadArguments_DocumentedErrors()
    {
        var c = BoundTcp();
        var connectEx = Load<LPFN_CONNECTEX>(c, WSAID_CONNECTEX);
        var addr = Loopback(9);
        FailsWith(WSAEFAULT, connectEx(c, addr, 8, null, 0, out _, Overlapped()));
        FailsWith(WSAEFAULT, connectEx(c, addr, addr.Length, new byte[2], 5, out _, Overlapped()));
        FailsWith(WSAEINVAL, connectEx(c, addr, addr.Length, null, 0, out _, null));
        FailsWith(WSAEADDRNOTAVAIL, connectEx(c, Loopback(0), 16, null, 0, out _, Overlapped()));
        var six = Loopback6(9);
        FailsWith(WSAEAFNOSUPPORT, connectEx(c, six, six.Length, null, 0, out _, Overlapped()));
        FailsWith(WSAENOTSOCK, connectEx(SOCKET.Invalid, addr, addr.Length, null, 0, out _, Overlapped()));
        var (l, _) = Listen();
        FailsWith(WSAEINVAL, connectEx(l, addr, addr.Length, null, 0, out _, Overlapped()));
        closesocket(c); closesocket(l);
    }

    [Fact]
    public void UpdateConnectContext_NotConnectedByConnectEx_WSAENOTCONN()
    {
        var c = Tcp();
        Fails(WSAENOTCONN, setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, null, 0));
        closesocket(c);
    }

    [Fact]
    public void ConnectEx_ClosedWhileConnecting_NeverLeavesItPending()
    {
        // A connect to a listener whose backlog is not accepted may still finish at once on loopback; whichever way,
        // closing the socket leaves no ConnectEx pending.
        var (l, addr) = Listen();
        var c = BoundTcp();
        var connectEx = Load<LPFN_CONNECTEX>(c, WSAID_CONNECTEX);
        var ov = Overlapped();
        FailsWith(ERROR_IO_PENDING, connectEx(c, addr, addr.Length, null, 0, out _, ov));
        closesocket(c);
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ov.hEvent], false, 20_000, false));
        Assert.False(ov.IsPending);
        closesocket(l);
    }
}
