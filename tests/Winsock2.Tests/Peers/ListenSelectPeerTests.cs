using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>
/// listen, select, WSAEnumNetworkEvents and connect errors as Wine's dlls/ws2_32/tests/sock.c records them for
/// Windows (test_WSAEnumNetworkEvents, test_errors, test_listen, test_select); each test names the one it mirrors.
/// </summary>
public sealed class ListenSelectPeerTests : WinsockTest
{
    public static TheoryData<int> Kinds => new() { 0, 1, 2 }; // bound TCP, bound UDP, connected TCP

    // Mirrors Wine test_WSAEnumNetworkEvents: selecting FD_READ | FD_WRITE again and again, with and without the
    // event handle: an unconnected TCP socket records nothing; a bound UDP socket and a connected TCP socket record
    // FD_WRITE once only; entries for bits not set are left as they were.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void WSAEnumNetworkEvents_RepeatedSelection_FdWriteOnceEntriesUntouched(int kind)
    {
        foreach (bool passEvent in new[] { true, false })
        {
            SOCKET s, other = SOCKET.Invalid;
            if (kind == 2) (s, other) = TcpPair();
            else
            {
                s = Check(socket(AF_INET, kind == 0 ? SOCK_STREAM : SOCK_DGRAM, 0));
                var any = SockAddr.From(new System.Net.IPEndPoint(System.Net.IPAddress.Any, 0));
                Ok(bind(s, any, any.Length));
            }
            var ev = WSACreateEvent();
            try
            {
                for (int round = 0; round < 5; round++)
                {
                    Ok(WSAEventSelect(s, ev, FD_READ | FD_WRITE));
                    if (kind != 0 && round == 0) Eventually(() => WSAWaitForMultipleEvents(1, [ev], false, 0, false) == WSA_WAIT_EVENT_0, "FD_WRITE recorded");
                    var ne = new WSANETWORKEVENTS();
                    Array.Fill(ne.iErrorCode, unchecked((int)0xABABABAB));
                    Ok(WSAEnumNetworkEvents(s, passEvent ? ev : default, ne));
                    Assert.Equal(kind != 0 && round == 0 ? FD_WRITE : 0, ne.lNetworkEvents);
                    for (int bit = 0; bit < FD_MAX_EVENTS; bit++)
                        Assert.Equal((ne.lNetworkEvents & (1 << bit)) != 0 ? 0 : unchecked((int)0xABABABAB), ne.iErrorCode[bit]);
                }
            }
            finally
            {
                closesocket(s);
                if (other.IsValid) closesocket(other);
                WSACloseEvent(ev);
            }
        }
    }

    // Mirrors Wine test_errors: connect to a port where nothing listens is WSAECONNREFUSED; the socket is then not
    // writable.
    [Fact]
    public void connect_NothingListening_WSAECONNREFUSEDThenNotWritable()
    {
        var (l, addr) = Listen();
        Ok(closesocket(l));
        var s = Check(socket(AF_INET, SOCK_STREAM, 0));
        try
        {
            Fails(WSAECONNREFUSED, connect(s, addr, addr.Length));
            Assert.Equal(0, select(1, null, fd_set.Of(s), null, new timeval { tv_usec = 50_000 }));
        }
        finally { closesocket(s); }
    }

    // Mirrors Wine test_listen: not a socket WSAENOTSOCK; UDP WSAEOPNOTSUPP; unbound TCP WSAEINVAL whatever the
    // backlog; SO_ACCEPTCONN 0 then 1 and read-only (WSAENOPROTOOPT); listen twice succeeds; a second socket on the
    // address WSAEADDRINUSE.
    [Fact]
    public void listen_PeerRecordedErrorsAndSoAcceptConn()
    {
        Fails(WSAENOTSOCK, listen(SOCKET.Invalid, 0));
        var u = Check(socket(AF_INET, SOCK_DGRAM, 0));
        Fails(WSAEOPNOTSUPP, listen(u, 1));
        Ok(closesocket(u));

        var a = Check(socket(AF_INET, SOCK_STREAM, 0));
        var b = Check(socket(AF_INET, SOCK_STREAM, 0));
        try
        {
            Fails(WSAEINVAL, listen(a, -2));
            Fails(WSAEINVAL, listen(a, 1));
            Fails(WSAEINVAL, listen(a, SOMAXCONN));
            var addr = Loopback();
            Ok(bind(a, addr, addr.Length));
            Ok(getsockopt(a, SOL_SOCKET, SO_ACCEPTCONN, out int acceptconn));
            Assert.Equal(0, acceptconn);
            Fails(WSAENOPROTOOPT, setsockopt(a, SOL_SOCKET, SO_ACCEPTCONN, 1));
            Ok(listen(a, 0));
            Ok(listen(a, SOMAXCONN));
            Ok(getsockopt(a, SOL_SOCKET, SO_ACCEPTCONN, out acceptconn));
            Assert.Equal(1, acceptconn);
            Fails(WSAENOPROTOOPT, setsockopt(a, SOL_SOCKET, SO_ACCEPTCONN, 0));
            Fails(WSAEINVAL, listen(b, SOMAXCONN));
            var same = Loopback(PortOf(a));
            Fails(WSAEADDRINUSE, bind(b, same, same.Length));
        }
        finally { closesocket(a); closesocket(b); }
    }

    // Mirrors Wine test_select ("selecting invalid handles"): no socket in any set is WSAEINVAL; INVALID_SOCKET in a
    // set is WSAENOTSOCK.
    [Fact]
    public void select_NoSocketsOrInvalidHandle_WSAEINVALOrWSAENOTSOCK()
    {
        var zero = new timeval();
        Fails(WSAEINVAL, select(0, null, null, null, zero));
        Fails(WSAEINVAL, select(0, new fd_set(), new fd_set(), new fd_set(), zero));
        Fails(WSAENOTSOCK, select(0, fd_set.Of(SOCKET.Invalid), new fd_set(), new fd_set(), zero));
        Fails(WSAENOTSOCK, select(0, new fd_set(), fd_set.Of(SOCKET.Invalid), new fd_set(), zero));
        Fails(WSAENOTSOCK, select(0, new fd_set(), new fd_set(), fd_set.Of(SOCKET.Invalid), zero));
    }

    // Mirrors Wine test_select (first block): new unconnected sockets are in no set; a zero timeout returns at once.
    [Fact]
    public void select_FreshTcpSockets_NothingReady()
    {
        var a = Check(socket(AF_INET, SOCK_STREAM, 0));
        var b = Check(socket(AF_INET, SOCK_STREAM, 0));
        try
        {
            var (r, w, e) = (fd_set.Of(a, b), fd_set.Of(a, b), fd_set.Of(a, b));
            Assert.Equal(0, select(0, r, w, e, new timeval()));
            Assert.Equal((0u, 0u, 0u), (r.fd_count, w.fd_count, e.fd_count));
        }
        finally { closesocket(a); closesocket(b); }
    }
}
