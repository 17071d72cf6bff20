using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Mswsock;

/// <summary>AcceptEx, GetAcceptExSockaddrs and SO_UPDATE_ACCEPT_CONTEXT on TCP.</summary>
public class AcceptExTests : MswsockTest
{
    private static (LPFN_ACCEPTEX AcceptEx, LPFN_GETACCEPTEXSOCKADDRS Sockaddrs) Functions(SOCKET s) =>
        (Load<LPFN_ACCEPTEX>(s, WSAID_ACCEPTEX), Load<LPFN_GETACCEPTEXSOCKADDRS>(s, WSAID_GETACCEPTEXSOCKADDRS));

    [Fact]
    public void AcceptEx_NoFirstData_CompletesOnConnectWithBothAddresses()
    {
        var (l, addr) = Listen();
        var (acceptEx, sockaddrs) = Functions(l);
        var a = Tcp();
        var buffer = new byte[2 * AddrBlock];
        var ov = Overlapped();
        // Wine test_AcceptEx: a valid call returns FALSE with ERROR_IO_PENDING.
        FailsWith(ERROR_IO_PENDING, acceptEx(l, a, buffer, 0, AddrBlock, AddrBlock, out _, ov));
        var c = Tcp();
        Ok(connect(c, addr, addr.Length));
        Assert.True(Finish(l, ov, out uint bytes), $"AcceptEx failed with {WSAGetLastError()}");
        Assert.Equal(0u, bytes);
        sockaddrs(buffer, 0, AddrBlock, AddrBlock, out var local, out int localLen, out var remote, out int remoteLen);
        Assert.Equal(16, localLen);
        Assert.Equal(16, remoteLen);
        Assert.Equal(PortOf(l), SockAddr.ToEndPoint(local).Port);
        Assert.Equal(PortOf(c), SockAddr.ToEndPoint(remote).Port);
        // The connection is the accept socket's: data flows both ways.
        Assert.Equal(2, send(c, Bytes("hi"), 2, 0));
        var got = new byte[4];
        Assert.Equal(2, recv(a, got, 4, 0));
        Assert.Equal("hi", Text(got, 2));
        closesocket(c); closesocket(a); closesocket(l);
    }

    [Fact]
    public void AcceptEx_BeforeUpdateContext_GetPeerNameAndGetSockNameWSAENOTCONN()
    {
        var (l, addr) = Listen();
        var (acceptEx, _) = Functions(l);
        var a = Tcp();
        var ov = Overlapped();
        FailsWith(ERROR_IO_PENDING, acceptEx(l, a, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, ov));
        var c = Tcp();
        Ok(connect(c, addr, addr.Length));
        Assert.True(Finish(l, ov, out _));
        var name = new byte[16];
        int len = 16;
        Fails(WSAENOTCONN, getpeername(a, name, ref len));
        len = 16;
        Fails(WSAENOTCONN, getsockname(a, name, ref len));
        var handle = BitConverter.GetBytes((ulong)l.Value);
        Ok(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, handle, handle.Length), "SO_UPDATE_ACCEPT_CONTEXT");
        len = 16;
        Ok(getpeername(a, name, ref len));
        Assert.Equal(PortOf(c), SockAddr.ToEndPoint(name).Port);
        Assert.Equal(PortOf(l), PortOf(a));
        closesocket(c); closesocket(a); closesocket(l);
    }

    [Fact]
    public void AcceptEx_FirstData_CompletesOnlyWhenDataCame()
    {
        var (l, addr) = Listen();
        var (acceptEx, sockaddrs) = Functions(l);
        var a = Tcp();
        var buffer = new byte[64 + 2 * AddrBlock];
        var ov = Overlapped();
        FailsWith(ERROR_IO_PENDING, acceptEx(l, a, buffer, 64, AddrBlock, AddrBlock, out _, ov));
        var c = Tcp();
        Ok(connect(c, addr, addr.Length));
        // Wine test_AcceptEx: with a receive length the connection alone does not complete it. Wait until the
        // listener no longer holds the connection (AcceptEx took it), then it must still be pending.
        Eventually(() =>
        {
            var fds = new[] { new WSAPOLLFD { fd = l, events = POLLRDNORM } };
            return WSAPoll(fds, 1, 0) == 0;
        }, "the connection taken from the listener", 20_000);
        Assert.True(ov.IsPending);
        Assert.Equal(5, send(c, Bytes("first"), 5, 0));
        Assert.True(Finish(l, ov, out uint bytes));
        Assert.Equal(5u, bytes);
        Assert.Equal("first", Text(buffer, 5));
        sockaddrs(buffer, 64, AddrBlock, AddrBlock, out _, out _, out var remote, out _);
        Assert.Equal(PortOf(c), SockAddr.ToEndPoint(remote).Port);
        closesocket(c); closesocket(a); closesocket(l);
    }

    [Fact]
    public void AcceptEx_FirstDataPeerClosesFirst_CompletesWithZeroBytes()
    {
        var (l, addr) = Listen();
        var (acceptEx, _) = Functions(l);
        var a = Tcp();
        var ov = Overlapped();
        FailsWith(ERROR_IO_PENDING, acceptEx(l, a, new byte[16 + 2 * AddrBlock], 16, AddrBlock, AddrBlock, out _, ov));
        var c = Tcp();
        Ok(connect(c, addr, addr.Length));
        closesocket(c);
        Assert.True(Finish(l, ov, out uint bytes));
        Assert.Equal(0u, bytes);
        closesocket(a); closesocket(l);
    }

    [Fact]
    public void AcceptEx_ListenerNotListening_WSAEINVAL()
    {
        // Wine test_AcceptEx: an unbound listener, and a bound one that does not listen.
        var l = Tcp();
        var acceptEx = Load<LPFN_ACCEPTEX>(l, WSAID_ACCEPTEX);
        var a = Tcp();
        FailsWith(WSAEINVAL, acceptEx(l, a, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, Overlapped()));
        var any = Loopback();
        Ok(bind(l, any, any.Length));
        FailsWith(WSAEINVAL, acceptEx(l, a, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, Overlapped()));
        closesocket(a); closesocket(l);
    }

    [Fact]
    public void AcceptEx_AddressLengthsTooSmall_WSAEFAULT()
    {
        // Wine test_AcceptEx: each address block must be at least sizeof(sockaddr_in) + 16.
        var (l, _) = Listen();
        var acceptEx = Load<LPFN_ACCEPTEX>(l, WSAID_ACCEPTEX);
        var a = Tcp();
        var buffer = new byte[256];
        FailsWith(WSAEFAULT, acceptEx(l, a, buffer, 0, AddrBlock - 1, AddrBlock, out _, Overlapped()));
        FailsWith(WSAEFAULT, acceptEx(l, a, buffer, 0, AddrBlock, AddrBlock - 1, out _, Overlapped()));
        FailsWith(WSAEFAULT, acceptEx(l, a, buffer, 0, 0, AddrBlock, out _, Overlapped()));
        FailsWith(WSAEFAULT, acceptEx(l, a, new byte[2 * AddrBlock], 1, AddrBlock, AddrBlock, out _, Overlapped())); // does not fit
        FailsWith(WSAEFAULT, acceptEx(l, a, null!, 0, AddrBlock, AddrBlock, out _, Overlapped()));
        closesocket(a); closesocket(l);
    }

    [Fact]
    public void AcceptEx_AcceptSocketBoundOrInUse_WSAEINVAL()
    {
        // Wine test_AcceptEx: an accept socket that is already bound; and one another AcceptEx already waits with.
        var (l, _) = Listen();
        var acceptEx = Load<LPFN_ACCEPTEX>(l, WSAID_ACCEPTEX);
        var bound = Tcp();
        var any = Loopback();
        Ok(bind(bound, any, any.Length));
        FailsWith(WSAEINVAL, acceptEx(l, bound, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, Overlapped()));
        var a = Tcp();
        FailsWith(ERROR_IO_PENDING, acceptEx(l, a, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, Overlapped()));
        FailsWith(WSAEINVAL, acceptEx(l, a, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, Overlapped()));
        FailsWith(WSAEINVAL, acceptEx(l, l, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, Overlapped()));
        closesocket(bound); closesocket(a); closesocket(l);
    }

    [Fact]
    public void AcceptEx_NotASocket_WSAENOTSOCK()
    {
        var (l, _) = Listen();
        var acceptEx = Load<LPFN_ACCEPTEX>(l, WSAID_ACCEPTEX);
        var a = Tcp();
        FailsWith(WSAENOTSOCK, acceptEx(SOCKET.Invalid, a, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, Overlapped()));
        FailsWith(WSAENOTSOCK, acceptEx(l, SOCKET.Invalid, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, Overlapped()));
        closesocket(a); closesocket(l);
    }

    [Fact]
    public void AcceptEx_ListenerClosed_CompletesWithOperationAborted()
    {
        var (l, _) = Listen();
        var acceptEx = Load<LPFN_ACCEPTEX>(l, WSAID_ACCEPTEX);
        var a = Tcp();
        var ov = Overlapped();
        FailsWith(ERROR_IO_PENDING, acceptEx(l, a, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, ov));
        closesocket(l);
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ov.hEvent], false, 20_000, false));
        Assert.Equal(WSA_OPERATION_ABORTED, (int)ov.OffsetHigh);
        closesocket(a);
    }

    [Fact]
    public void AcceptEx_AcceptSocketClosed_CompletesAbortedAndNextAcceptExGetsTheConnection()
    {
        var (l, addr) = Listen();
        var acceptEx = Load<LPFN_ACCEPTEX>(l, WSAID_ACCEPTEX);
        var first = Tcp();
        var ov1 = Overlapped();
        FailsWith(ERROR_IO_PENDING, acceptEx(l, first, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, ov1));
        closesocket(first);
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ov1.hEvent], false, 20_000, false));
        Assert.Equal(WSA_OPERATION_ABORTED, (int)ov1.OffsetHigh);
        var c = Tcp();
        Ok(connect(c, addr, addr.Length));
        var second = Tcp();
        var ov2 = Overlapped();
        FailsWith(ERROR_IO_PENDING, acceptEx(l, second, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, ov2));
        Assert.True(Finish(l, ov2, out _));
        Assert.Equal(1, send(c, Bytes("x"), 1, 0));
        Assert.Equal(1, recv(second, new byte[1], 1, 0));
        closesocket(c); closesocket(second); closesocket(l);
    }

    [Fact]
    public void UpdateAcceptContext_NotAnAcceptExSocket_WSAEINVAL()
    {
        var (l, _) = Listen();
        var (c, s) = TcpPair();
        var handle = BitConverter.GetBytes((ulong)l.Value);
        Fails(WSAEINVAL, setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, handle, handle.Length));
        Fails(WSAEFAULT, setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, handle, 4));
        var bogus = BitConverter.GetBytes(0x7FFF_FFF0UL);
        Fails(WSAENOTSOCK, setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, bogus, bogus.Length));
        closesocket(c); closesocket(s); closesocket(l);
    }

    [Fact]
    public void AcceptEx_ManyPosted_EachGetsOneConnection()
    {
        var (l, addr) = Listen();
        var acceptEx = Load<LPFN_ACCEPTEX>(l, WSAID_ACCEPTEX);
        const int n = 8;
        var acceptors = new SOCKET[n];
        var ovs = new WSAOVERLAPPED[n];
        for (int i = 0; i < n; i++)
        {
            acceptors[i] = Tcp();
            ovs[i] = Overlapped();
            FailsWith(ERROR_IO_PENDING, acceptEx(l, acceptors[i], new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, ovs[i]));
        }
        var clients = new SOCKET[n];
        for (int i = 0; i < n; i++)
        {
            clients[i] = Tcp();
            Ok(connect(clients[i], addr, addr.Length));
        }
        for (int i = 0; i < n; i++) Assert.True(Finish(l, ovs[i], out _));
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(1, send(clients[i], [(byte)i], 1, 0));
        }
        var seen = new HashSet<byte>();
        foreach (var a in acceptors)
        {
            var b = new byte[1];
            Assert.Equal(1, recv(a, b, 1, 0));
            Assert.True(seen.Add(b[0]));
        }
        foreach (var s in acceptors.Concat(clients)) closesocket(s);
        closesocket(l);
    }
    [Fact]
    public void AcceptEx_Ipv6_AddressBlocksOfSockaddrIn6Plus16()
    {
        const uint block6 = 28 + 16;
        var (l, addr) = Listen(AF_INET6);
        var (acceptEx, sockaddrs) = Functions(l);
        var a = Tcp(AF_INET6);
        FailsWith(WSAEFAULT, acceptEx(l, a, new byte[2 * block6], 0, block6 - 1, block6, out _, Overlapped()));
        var buffer = new byte[2 * block6];
        var ov = Overlapped();
        FailsWith(ERROR_IO_PENDING, acceptEx(l, a, buffer, 0, block6, block6, out _, ov));
        var c = Tcp(AF_INET6);
        Ok(connect(c, addr, addr.Length));
        Assert.True(Finish(l, ov, out _));
        sockaddrs(buffer, 0, block6, block6, out var local, out int localLen, out var remote, out int remoteLen);
        Assert.Equal(28, localLen);
        Assert.Equal(28, remoteLen);
        Assert.Equal(System.Net.IPAddress.IPv6Loopback, SockAddr.ToEndPoint(remote).Address);
        Assert.Equal(PortOf(l), SockAddr.ToEndPoint(local).Port);
        closesocket(c); closesocket(a); closesocket(l);
    }

    [Fact]
    public void UpdateAcceptContext_TakesListenersBlockingMode()
    {
        var (l, addr) = Listen();
        uint on = 1;
        Ok(ioctlsocket(l, FIONBIO, ref on));
        var acceptEx = Load<LPFN_ACCEPTEX>(l, WSAID_ACCEPTEX);
        var a = Tcp();
        var ov = Overlapped();
        FailsWith(ERROR_IO_PENDING, acceptEx(l, a, new byte[2 * AddrBlock], 0, AddrBlock, AddrBlock, out _, ov));
        var c = Tcp();
        Ok(connect(c, addr, addr.Length));
        Assert.True(Finish(l, ov, out _));
        var handle = BitConverter.GetBytes((ulong)l.Value);
        Ok(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, handle, handle.Length));
        Fails(WSAEWOULDBLOCK, recv(a, new byte[4], 4, 0)); // nonblocking, as the listener is
        closesocket(c); closesocket(a); closesocket(l);
    }
}
