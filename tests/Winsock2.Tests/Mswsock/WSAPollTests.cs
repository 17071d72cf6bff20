using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Mswsock;

/// <summary>WSAPoll over provider sockets (Wine's test_poll records the Windows behaviours).</summary>
public class WSAPollTests : MswsockTest
{
    private static short Poll(SOCKET s, short events, int timeout = 0)
    {
        var fds = new[] { new WSAPOLLFD { fd = s, events = events, revents = unchecked((short)0xdead) } };
        int n = WSAPoll(fds, 1, timeout);
        Assert.True(n >= 0, $"WSAPoll failed with {WSAGetLastError()}");
        Assert.Equal(fds[0].revents != 0 ? 1 : 0, n);
        return fds[0].revents;
    }

    [Fact]
    public void WSAPoll_InvalidSocket_POLLNVAL()
    {
        // Wine test_poll: an invalid handle is reported POLLNVAL and counted.
        var fds = new[] { new WSAPOLLFD { fd = SOCKET.Invalid, events = POLLRDNORM } };
        Assert.Equal(1, WSAPoll(fds, 1, 0));
        Assert.Equal(POLLNVAL, fds[0].revents);
        var s = Tcp();
        closesocket(s);
        fds[0] = new WSAPOLLFD { fd = s, events = POLLRDNORM };
        Assert.Equal(1, WSAPoll(fds, 1, 1000));
        Assert.Equal(POLLNVAL, fds[0].revents);
    }

    [Fact]
    public void WSAPoll_UnsupportedEvents_WSAEINVAL()
    {
        var (c, s) = TcpPair();
        foreach (short bad in new[] { POLLPRI, POLLWRBAND, POLLERR, POLLHUP, POLLNVAL })
        {
            var fds = new[] { new WSAPOLLFD { fd = c, events = (short)(POLLRDNORM | bad) } };
            Fails(WSAEINVAL, WSAPoll(fds, 1, 0));
        }
        Fails(WSAEINVAL, WSAPoll([new WSAPOLLFD { fd = c, events = POLLIN }], 0, 0));
        Fails(WSAEFAULT, WSAPoll([new WSAPOLLFD { fd = c, events = POLLIN }], 2, 0));
        Fails(WSAEFAULT, WSAPoll(null!, 1, 0));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSAPoll_ConnectedIdle_WritableOnlyAndTimeoutZeroReturnsZero()
    {
        var (c, s) = TcpPair();
        Assert.Equal(POLLWRNORM, Poll(c, POLLOUT));
        Assert.Equal(0, Poll(c, POLLIN));
        Assert.Equal(POLLWRNORM, Poll(c, POLLIN | POLLOUT));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSAPoll_DataArrives_POLLRDNORMWhileWaiting()
    {
        var (c, s) = TcpPair();
        var sender = Run(() => Assert.Equal(1, send(c, [7], 1, 0)));
        Assert.Equal(POLLRDNORM, Poll(s, POLLIN, -1));
        sender.Join();
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSAPoll_PeerClosed_POLLHUP()
    {
        var (c, s) = TcpPair();
        closesocket(c);
        short rev = Poll(s, POLLIN, 20_000);
        Assert.Equal(POLLHUP, (short)(rev & POLLHUP));
        Assert.Equal(0, recv(s, new byte[1], 1, 0)); // and a read returns at once
        closesocket(s);
    }

    [Fact]
    public void WSAPoll_ListenerWithConnection_POLLRDNORM()
    {
        var (l, addr) = Listen();
        Assert.Equal(0, Poll(l, POLLIN));
        var c = Tcp();
        Ok(connect(c, addr, addr.Length));
        Assert.Equal(POLLRDNORM, Poll(l, POLLIN, 20_000));
        closesocket(c); closesocket(l);
    }

    [Fact]
    public void WSAPoll_FailedConnect_POLLHUPAndPOLLERR()
    {
        var (l, addr) = Listen();
        closesocket(l);
        var c = Tcp();
        NonBlocking(c);
        Fails(WSAEWOULDBLOCK, connect(c, addr, addr.Length));
        short rev = Poll(c, POLLOUT, 20_000);
        Assert.Equal((short)(POLLHUP | POLLERR), rev);
        closesocket(c);
    }

    private static void NonBlocking(SOCKET s)
    {
        uint on = 1;
        Ok(ioctlsocket(s, FIONBIO, ref on));
    }

    [Fact]
    public void WSAPoll_UdpDatagramWaiting_POLLRDNORM()
    {
        var (a, _, b, addrB) = UdpPair();
        Assert.Equal(POLLWRNORM, Poll(b, POLLIN | POLLOUT));
        Assert.Equal(3, sendto(a, Bytes("abc"), 3, 0, addrB, addrB.Length));
        Assert.Equal(POLLRDNORM, Poll(b, POLLIN, 20_000));
        Assert.Equal((short)(POLLRDNORM | POLLWRNORM), Poll(b, POLLIN | POLLOUT));
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSAPoll_SeveralSockets_CountsThoseWithEvents()
    {
        var (c, s) = TcpPair();
        var (c2, s2) = TcpPair();
        Assert.Equal(1, send(c, [1], 1, 0));
        var fds = new[]
        {
            new WSAPOLLFD { fd = s, events = POLLIN },
            new WSAPOLLFD { fd = s2, events = POLLIN },
            new WSAPOLLFD { fd = SOCKET.Invalid, events = POLLIN },
        };
        Eventually(() => WSAPoll(fds, 3, 1000) == 2, "data and the invalid handle reported");
        Assert.Equal(POLLRDNORM, fds[0].revents);
        Assert.Equal(0, fds[1].revents);
        Assert.Equal(POLLNVAL, fds[2].revents);
        foreach (var x in new[] { c, s, c2, s2 }) closesocket(x);
    }

    [Fact]
    public void WSAPoll_TimeoutWithNothing_ReturnsZero()
    {
        var (c, s) = TcpPair();
        var fds = new[] { new WSAPOLLFD { fd = s, events = POLLIN } };
        Assert.Equal(0, WSAPoll(fds, 1, 50));
        Assert.Equal(0, fds[0].revents);
        closesocket(c); closesocket(s);
    }
    [Fact]
    public void WSAPoll_PeerReset_POLLHUPAndPOLLERR()
    {
        var (c, s) = TcpPair();
        Ok(setsockopt(c, SOL_SOCKET, SO_LINGER, new linger { l_onoff = 1, l_linger = 0 }));
        closesocket(c); // a reset
        Eventually(() => Poll(s, POLLIN, 1000) != 0, "the reset seen", 20_000);
        Assert.Equal((short)(POLLHUP | POLLERR), (short)(Poll(s, POLLIN) & (POLLHUP | POLLERR)));
        closesocket(s);
    }
}
