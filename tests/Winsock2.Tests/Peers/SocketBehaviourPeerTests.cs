using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>
/// TCP and UDP behaviours Wine's dlls/ws2_32/tests/sock.c and ReactOS's modules/rostests/apitests/ws2_32 record
/// for Windows, one test each, named after the function and the rule; each names the peer test it mirrors.
/// </summary>
public sealed class SocketBehaviourPeerTests : WinsockTest
{
    // Mirrors ReactOS ioctlsocket.c (Test_ioctlsocket): no socket → SOCKET_ERROR and the argument untouched.
    [Fact]
    public void ioctlsocket_FionreadNotASocket_FailsArgumentUntouched()
    {
        uint avail = 0xdeadbeef;
        Fails(WSAENOTSOCK, ioctlsocket(SOCKET.Invalid, FIONREAD, ref avail));
        Assert.Equal(0xdeadbeefu, avail);
    }

    // Mirrors ReactOS ioctlsocket.c: an unconnected TCP socket has 0 bytes to read, and succeeds saying so.
    [Fact]
    public void ioctlsocket_FionreadUnconnectedTcp_ZeroBytes()
    {
        var s = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        try
        {
            uint avail = 0xdeadbeef;
            Ok(ioctlsocket(s, FIONREAD, ref avail));
            Assert.Equal(0u, avail);
        }
        finally { closesocket(s); }
    }

    // Mirrors ReactOS ioctlsocket.c: FIONREAD counts what is queued; reading half leaves the other half; then 0.
    [Fact]
    public void ioctlsocket_Fionread_CountsWhatRemainsAfterPartialRead()
    {
        var (c, s) = TcpPair();
        try
        {
            Assert.Equal(10, send(c, Bytes("0123456789"), 10, 0));
            uint avail = 0;
            Eventually(() => { ioctlsocket(s, FIONREAD, ref avail); return avail == 10; }, "10 bytes queued");
            Assert.Equal(5, recv(s, new byte[5], 5, 0));
            Ok(ioctlsocket(s, FIONREAD, ref avail));
            Assert.Equal(5u, avail);
            Assert.Equal(5, recv(s, new byte[5], 5, 0));
            Ok(ioctlsocket(s, FIONREAD, ref avail));
            Assert.Equal(0u, avail);
        }
        finally { closesocket(c); closesocket(s); }
    }

    // Mirrors ReactOS WSARecv.c (Test_WSARecv): on no socket, and on an unconnected TCP socket, WSARecv fails and
    // leaves the buffer as it was.
    [Fact]
    public void WSARecv_NotASocketOrNotConnected_FailsBufferUntouched()
    {
        byte[] dummy = [0xFF, 0x00, 0xFF, 0x00];
        var buf = (byte[])dummy.Clone();
        uint flags = 0;
        Assert.Equal(SOCKET_ERROR, WSARecv(SOCKET.Invalid, [new WSABUF(buf)], 1, out _, ref flags, null, null));
        Assert.Equal(WSAENOTSOCK, WSAGetLastError());
        Assert.Equal(dummy, buf);
        var s = Check(WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED));
        try
        {
            Assert.Equal(SOCKET_ERROR, WSARecv(s, [new WSABUF(buf)], 1, out _, ref flags, null, null));
            Assert.Equal(dummy, buf);
        }
        finally { closesocket(s); }
    }

    // Mirrors ReactOS WSARecv.c ("no overlapped with completion"): without an overlapped structure the call is not
    // overlapped; it completes at once and the completion routine is never called.
    [Fact]
    public void WSARecv_CompletionRoutineWithoutOverlapped_CompletesAtOnceRoutineNeverCalled()
    {
        var (c, s) = TcpPair();
        try
        {
            Assert.Equal(4, send(c, Bytes("data"), 4, 0));
            int calls = 0;
            var buf = new byte[4];
            uint flags = 0;
            Ok(WSARecv(s, [new WSABUF(buf)], 1, out uint got, ref flags, null, (_, _, _, _) => calls++));
            Assert.Equal(4u, got);
            SleepEx(0, true); // an alertable moment in which a queued routine would run
            Assert.Equal(0, calls);
        }
        finally { closesocket(c); closesocket(s); }
    }

    // Mirrors ReactOS close.c (Test_CloseDuplicatedSocket): a UDP socket's copy keeps sending after the source closed.
    [Fact]
    public void closesocket_DuplicatedUdpSourceClosed_CopyStillSends()
    {
        var (rx, rxAddr, _, _) = UdpPair();
        var src = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        var buf = new byte[10];
        try
        {
            Assert.Equal(10, sendto(src, buf, 10, 0, rxAddr, rxAddr.Length));
            var info = new WSAPROTOCOL_INFOW();
            Ok(WSADuplicateSocket(src, (uint)Environment.ProcessId, info));
            var dup = Check(WSASocket(0, 0, 0, info, 0, 0));
            Assert.Equal(10, sendto(dup, buf, 10, 0, rxAddr, rxAddr.Length));
            Ok(closesocket(src));
            Assert.Equal(10, sendto(dup, buf, 10, 0, rxAddr, rxAddr.Length));
            Ok(closesocket(dup));
        }
        finally { closesocket(rx); closesocket(src); }
    }

    // Mirrors Wine test_select ("select() on a closed socket after connection"): WSAENOTSOCK, the sets unchanged.
    [Fact]
    public void select_ClosedSocketInSet_WSAENOTSOCKSetsUnchanged()
    {
        var (c, s) = TcpPair();
        try
        {
            Ok(closesocket(c));
            var read = fd_set.Of(s, c);
            var except = fd_set.Of(s, c);
            Fails(WSAENOTSOCK, select(0, read, null, except, new timeval { tv_sec = 1 }));
            Assert.Equal(2u, read.fd_count);
            Assert.Equal(2u, except.fd_count);
        }
        finally { closesocket(s); }
    }

    // Mirrors Wine test_select ("UDP behavior of unbound sockets"): an unbound UDP socket is writable, nothing else.
    [Fact]
    public void select_UnboundUdp_WritableOnly()
    {
        var u = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        try
        {
            var (r, w, e) = (fd_set.Of(u), fd_set.Of(u), fd_set.Of(u));
            Assert.Equal(1, select(0, r, w, e, new timeval { tv_usec = 250_000 }));
            Assert.Equal(0u, r.fd_count);
            Assert.Equal(1u, w.fd_count);
            Assert.Equal(0u, e.fd_count);
        }
        finally { closesocket(u); }
    }

    // Mirrors Wine test_accept: an address buffer with length 0 is WSAEFAULT and the length stays 0; a CF_DEFER
    // verdict is WSATRY_AGAIN and a later accept takes the same connection.
    [Fact]
    public void WSAAccept_ZeroAddressLength_WSAEFAULT_DeferThenAccept()
    {
        var (l, addr) = Listen();
        var c = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        try
        {
            Ok(connect(c, addr, addr.Length));
            var ss = new byte[128];
            int len = 0;
            Fails(WSAEFAULT, WSAAccept(l, ss, ref len, null, 0));
            Assert.Equal(0, len);
            LPCONDITIONPROC defer = (WSABUF? a, WSABUF? b, QOS? q, QOS? g, WSABUF? d, WSABUF? e, out uint grp, nuint x) =>
            {
                grp = 0;
                return CF_DEFER;
            };
            Fails(WSATRY_AGAIN, WSAAccept(l, defer, 0));
            var a = Check(accept(l));
            Assert.Equal(PortOf(c), PeerPort(a));
            closesocket(a);
        }
        finally { closesocket(c); closesocket(l); }
    }

    // Mirrors Wine test_accept ("closesocket did not wake up accept"): closing the listener ends a blocked accept.
    [Fact]
    public void closesocket_ListenerWithBlockedAccept_AcceptFails()
    {
        var (l, _) = Listen();
        SOCKET accepted = SOCKET.Invalid;
        int error = 0;
        using var started = new ManualResetEventSlim();
        var t = new Thread(() =>
        {
            Assert.Equal(0, WSAStartup(0x0202, out _));
            started.Set();
            accepted = accept(l);
            error = WSAGetLastError();
            WSACleanup();
        });
        t.Start();
        Assert.True(started.Wait(5000));
        Eventually(() => t.ThreadState.HasFlag(ThreadState.WaitSleepJoin), "the accept is blocked");
        Ok(closesocket(l));
        Assert.True(t.Join(10_000), "closesocket did not wake the blocked accept");
        Assert.False(accepted.IsValid);
        Assert.NotEqual(0, error);
    }

    // Mirrors Wine test_accept_inheritance: an accepted socket carries the listener's SO_KEEPALIVE, SO_OOBINLINE,
    // SO_SNDBUF, SO_RCVBUF, SO_SNDTIMEO, SO_RCVTIMEO, TCP_NODELAY and SO_LINGER, with the values as set.
    [Fact]
    public void accept_ListenerOptions_InheritedAsSet()
    {
        var l = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        (int Level, int Name, int Value)[] options =
        [
            (SOL_SOCKET, SO_KEEPALIVE, 1), (SOL_SOCKET, SO_OOBINLINE, 1), (SOL_SOCKET, SO_SNDBUF, 0x1230),
            (SOL_SOCKET, SO_RCVBUF, 0x1230), (SOL_SOCKET, SO_SNDTIMEO, 0x123), (SOL_SOCKET, SO_RCVTIMEO, 0x123),
            (IPPROTO_TCP, TCP_NODELAY, 1),
        ];
        try
        {
            foreach (var (level, name, value) in options) Ok(setsockopt(l, level, name, value), $"set {name}");
            Ok(setsockopt(l, SOL_SOCKET, SO_LINGER, new linger { l_onoff = 1, l_linger = 555 }));
            var any = Loopback();
            Ok(bind(l, any, any.Length));
            Ok(listen(l, 1));
            var c = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
            var to = Loopback(PortOf(l));
            Ok(connect(c, to, to.Length));
            var a = Check(accept(l));
            try
            {
                foreach (var (level, name, value) in options)
                {
                    Ok(getsockopt(a, level, name, out int got), $"get {name}");
                    Assert.True(value == got, $"option {level}/{name}: set {value}, accepted socket has {got}");
                }
                Ok(getsockopt(a, SOL_SOCKET, SO_LINGER, out linger lg));
                Assert.Equal((1, 555), (lg.l_onoff, lg.l_linger));
            }
            finally { closesocket(a); closesocket(c); }
        }
        finally { closesocket(l); }
    }

    // Mirrors Wine test_WSASendTo: an unbound UDP socket has no name (WSAEINVAL) until a send binds it implicitly.
    [Fact]
    public void getsockname_UnboundUdpThenSendto_WSAEINVALThenBound()
    {
        var (rx, rxAddr, _, _) = UdpPair();
        var s = Check(socket(AF_INET, SOCK_DGRAM, 0));
        try
        {
            var name = new byte[16];
            int len = name.Length;
            Fails(WSAEINVAL, getsockname(s, name, ref len));
            Assert.Equal(5, sendto(s, Bytes("hello"), 5, 0, rxAddr, rxAddr.Length));
            len = name.Length;
            Ok(getsockname(s, name, ref len));
            Assert.Equal(AF_INET, SockAddr.Family(name));
            Assert.NotEqual(0, SockAddr.ToEndPoint(name).Port);
        }
        finally { closesocket(s); closesocket(rx); }
    }

    private static int PeerPort(SOCKET s)
    {
        var name = new byte[28];
        int len = name.Length;
        Ok(getpeername(s, name, ref len));
        return SockAddr.ToEndPoint(name).Port;
    }
}
