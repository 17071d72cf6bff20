using Winsock2.Tests.Events;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>
/// ReactOS's modules/rostests/apitests/ws2_32 behaviours not covered elsewhere: nostartup.c, gethostname.c,
/// WSAAsync.c, nonblocking.c, bind.c and listen.c.
/// </summary>
public sealed class ReactOsPeerTests : EventTest
{
    // Mirrors ReactOS nostartup.c: before WSAStartup, WSASocket fails and getservbyname / getservbyport /
    // gethostbyname set WSANOTINITIALISED over a sentinel; inet_addr needs no startup.
    [Fact]
    public void WSASocket_NotStarted_FailsDatabaseCallsWSANOTINITIALISED()
    {
        Assert.Equal(0, WSACleanup());
        try
        {
            Assert.False(WSASocket(0, 0, 0, null, 0, 0).IsValid);
            WSASetLastError(unchecked((int)0xdeadbeef));
            Assert.Null(getservbyname("http", null));
            Assert.Equal(WSANOTINITIALISED, WSAGetLastError());
            WSASetLastError(unchecked((int)0xdeadbeef));
            Assert.Null(getservbyport(0, null));
            Assert.Equal(WSANOTINITIALISED, WSAGetLastError());
            WSASetLastError(unchecked((int)0xdeadbeef));
            Assert.Null(gethostbyname(null));
            Assert.Equal(WSANOTINITIALISED, WSAGetLastError());
            Assert.Equal(0x100007fu, inet_addr("127.0.0.1"));
        }
        finally { Assert.Equal(0, WSAStartup(0x0202, out _)); }
    }

    // Mirrors ReactOS gethostname.c (Winsock checks): gethostname succeeds and names the host the system names
    // (here the kernel's host name, as the hostname command prints it).
    [Fact]
    public void gethostname_NamesTheSystemHostName()
    {
        var buf = new char[256];
        Ok(gethostname(buf, buf.Length));
        string name = new(buf, 0, Array.IndexOf(buf, '\0'));
        Assert.Equal(System.Net.Dns.GetHostName(), name);
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/hostname").Trim(), name);
    }

    // Mirrors ReactOS WSAAsync.c (1st part): a nonblocking listener selected for FD_ACCEPT | FD_CLOSE and a
    // nonblocking client selected for FD_CONNECT | FD_CLOSE: connect is WSAEWOULDBLOCK, then FD_ACCEPT and FD_CONNECT
    // are recorded with error 0, accept succeeds and the client has a name.
    [Fact]
    public void WSAEventSelect_NonblockingConnectAccept_FdAcceptFdConnectWithoutError()
    {
        var (l, addr) = Own(Listen());
        var c = NewTcp();
        var lev = NewEvent();
        var cev = NewEvent();
        SetNonBlocking(l);
        Ok(WSAEventSelect(l, lev, FD_ACCEPT | FD_CLOSE));
        Ok(WSAEventSelect(c, cev, FD_CONNECT | FD_CLOSE));
        SetNonBlocking(c);
        int rc = connect(c, addr, addr.Length);
        Assert.Equal(SOCKET_ERROR, rc);
        Assert.Equal(WSAEWOULDBLOCK, WSAGetLastError());
        var acc = WaitForEvents(l, lev, FD_ACCEPT);
        Assert.Equal(0, acc.iErrorCode[FD_ACCEPT_BIT]);
        Own(Check(accept(l)));
        var con = WaitForEvents(c, cev, FD_CONNECT);
        Assert.Equal(0, con.iErrorCode[FD_CONNECT_BIT]);
        var name = new byte[16];
        int len = 16;
        Ok(getsockname(c, name, ref len));
        Assert.Equal(16, len);
    }

    // Mirrors ReactOS WSAAsync.c (2nd part) and nonblocking.c: before connect an unbound client's getsockname is
    // WSAEINVAL; a nonblocking connect is WSAEWOULDBLOCK; the listener turns readable, the accepted socket writable;
    // the connected client reads WSAEWOULDBLOCK and sends.
    [Fact]
    public void select_NonblockingConnect_ListenerReadableClientWouldBlockThenSends()
    {
        var (l, addr) = Own(Listen());
        var c = NewTcp();
        SetNonBlocking(l);
        SetNonBlocking(c);
        var name = new byte[16];
        int len = 16;
        Fails(WSAEINVAL, getsockname(c, name, ref len));
        Fails(WSAEWOULDBLOCK, connect(c, addr, addr.Length));
        var r = fd_set.Of(l);
        Assert.Equal(1, select(0, r, null, null, new timeval { tv_sec = 10 }));
        var a = Own(Check(accept(l)));
        var w = fd_set.Of(a, c);
        Eventually(() => { w = fd_set.Of(a, c); return select(0, null, w, null, new timeval()) == 2; }, "both ends writable");
        Fails(WSAEWOULDBLOCK, recv(c, new byte[16], 16, 0));
        Assert.Equal(9, send(c, Bytes("127.0.0.1"), 9, 0));
    }
    // Mirrors ReactOS bind.c (parameter tests): no socket WSAENOTSOCK; no address, or a length of 0 or one short of
    // sockaddr_in, WSAEFAULT.
    [Fact]
    public void bind_BadArguments_WSAENOTSOCKThenWSAEFAULT()
    {
        var addr = Loopback();
        Fails(WSAENOTSOCK, bind(SOCKET.Invalid, addr, 0));
        var s = NewTcp();
        Fails(WSAEFAULT, bind(s, null!, 0));
        Fails(WSAEFAULT, bind(s, null!, 16));
        Fails(WSAEFAULT, bind(s, addr, 0));
        Fails(WSAEFAULT, bind(s, addr, 15));
    }

    // Mirrors ReactOS bind.c (TestBind): TCP and UDP bind loopback and the wildcard, with a port or with 0 (a port
    // is chosen), and getsockname names what was bound; 255.255.255.255 is WSAEADDRNOTAVAIL; a second bind is
    // WSAEINVAL; a UDP socket with SO_BROADCAST binds an address.
    [Fact]
    public void bind_ReactOsTable_NamesWhatWasBoundBroadcastAddressWSAEADDRNOTAVAIL()
    {
        foreach (int type in new[] { SOCK_STREAM, SOCK_DGRAM })
        {
            foreach (var ip in new[] { System.Net.IPAddress.Loopback, System.Net.IPAddress.Any })
            {
                var s = Own(Check(socket(AF_INET, type, 0)));
                Ok(bind(s, SockAddr.From(new System.Net.IPEndPoint(ip, 0)), 16));
                var name = new byte[16];
                int len = 16;
                Ok(getsockname(s, name, ref len));
                Assert.Equal(16, len);
                var ep = SockAddr.ToEndPoint(name);
                Assert.Equal(ip, ep.Address);
                Assert.NotEqual(0, ep.Port);
                // Again on the port now known (the table's fixed port), with a fresh socket.
                int port = ep.Port;
                Ok(closesocket(s));
                var again = Own(Check(socket(AF_INET, type, 0)));
                Ok(bind(again, SockAddr.From(new System.Net.IPEndPoint(ip, port)), 16));
                Assert.Equal(port, PortOf(again));
            }
            var b = Own(Check(socket(AF_INET, type, 0)));
            Fails(WSAEADDRNOTAVAIL, bind(b, SockAddr.From(new System.Net.IPEndPoint(System.Net.IPAddress.Broadcast, 0)), 16));
        }
        var twice = NewTcp();
        Ok(bind(twice, Loopback(), 16));
        Fails(WSAEINVAL, bind(twice, Loopback(), 16));
        var u = Own(Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)));
        Ok(setsockopt(u, SOL_SOCKET, SO_BROADCAST, 1));
        Ok(bind(u, Loopback(), 16));
    }

    // Mirrors ReactOS listen.c (Test_ListenThreadExit): a listen stays in effect after the thread that called it
    // exits, with or without a connection made before; two later connections are accepted and carry a byte.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void listen_CallingThreadExits_ListenStaysInEffect(bool connectBefore)
    {
        var l = NewTcp();
        Ok(bind(l, Loopback(), 16));
        var addr = Loopback(PortOf(l));
        SOCKET early = SOCKET.Invalid;
        var t = Run(() =>
        {
            Ok(listen(l, SOMAXCONN));
            if (connectBefore) early = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
            if (connectBefore) Ok(connect(early, addr, addr.Length));
        });
        Assert.True(t.Join(10_000), "the listening thread did not exit");
        if (connectBefore) Exchange(Own(early), Own(Check(accept(l))));
        for (int i = 0; i < 2; i++)
        {
            var c = ConnectTo(addr);
            Exchange(c, Own(Check(accept(l))));
        }
    }

    private static void Exchange(SOCKET client, SOCKET server)
    {
        Assert.Equal(1, send(client, Bytes("x"), 1, 0));
        var b = new byte[1];
        Assert.Equal(1, recv(server, b, 1, 0));
        Assert.Equal((byte)'x', b[0]);
    }
}
