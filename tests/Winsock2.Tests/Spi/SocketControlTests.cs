using System.Net;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Spi;

/// <summary>bind, listen, connect, names, disconnect data and FIONREAD on the base provider, with their exact errors.</summary>
public class SocketControlTests : WinsockTest
{
    private static SOCKET Tcp(int af = AF_INET) => Check(WSASocket(af, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED));
    private static SOCKET Udp(int af = AF_INET) => Check(WSASocket(af, SOCK_DGRAM, IPPROTO_UDP, null, 0, WSA_FLAG_OVERLAPPED));

    [Fact]
    public void getsockname_Unbound_WSAEINVAL()
    {
        foreach (var s in new[] { Tcp(), Udp(), Tcp(AF_INET6) })
        {
            var name = new byte[28];
            int len = name.Length;
            Fails(WSAEINVAL, getsockname(s, name, ref len));
            Ok(closesocket(s));
        }
    }

    [Fact]
    public void getsockname_Bound_ReturnsAddress()
    {
        var s = Tcp();
        var addr = Loopback();
        Ok(bind(s, addr, addr.Length));
        var name = new byte[28];
        int len = name.Length;
        Ok(getsockname(s, name, ref len));
        Assert.Equal(16, len);
        var ep = SockAddr.ToEndPoint(name);
        Assert.Equal(IPAddress.Loopback, ep.Address);
        Assert.NotEqual(0, ep.Port); // port 0 picks one
        Ok(closesocket(s));
    }

    [Fact]
    public void getsockname_getpeername_ConnectedClient_ReturnAddresses()
    {
        var (l, addr) = Listen();
        var c = Tcp();
        Ok(connect(c, addr, addr.Length));
        var a = Check(accept(l));
        var name = new byte[16];
        int len = name.Length;
        Ok(getpeername(c, name, ref len), "getpeername (client)");
        Assert.Equal(PortOf(l), SockAddr.ToEndPoint(name).Port);
        len = name.Length;
        Ok(getsockname(c, name, ref len), "getsockname (client, bound implicitly by connect)");
        int clientPort = SockAddr.ToEndPoint(name).Port;
        Assert.NotEqual(0, clientPort);
        len = name.Length;
        Ok(getpeername(a, name, ref len), "getpeername (accepted)");
        Assert.Equal(clientPort, SockAddr.ToEndPoint(name).Port);
        foreach (var s in new[] { a, c, l }) Ok(closesocket(s));
    }

    [Fact]
    public void getsockname_UdpAfterSendto_BoundImplicitly()
    {
        var (a, addrA, b, addrB) = UdpPair();
        var u = Udp();
        Assert.Equal(1, sendto(u, Bytes("x"), 1, 0, addrA, addrA.Length));
        var name = new byte[16];
        int len = name.Length;
        Ok(getsockname(u, name, ref len), "getsockname after sendto");
        Assert.NotEqual(0, SockAddr.ToEndPoint(name).Port);
        foreach (var s in new[] { a, b, u }) Ok(closesocket(s));
        _ = addrB;
    }

    [Fact]
    public void getpeername_Unconnected_WSAENOTCONN()
    {
        var t = Tcp();
        var u = Udp();
        var name = new byte[28];
        int len = name.Length;
        Fails(WSAENOTCONN, getpeername(t, name, ref len));
        len = name.Length;
        Fails(WSAENOTCONN, getpeername(u, name, ref len));
        var (l, _) = Listen();
        len = name.Length;
        Fails(WSAENOTCONN, getpeername(l, name, ref len));
        foreach (var s in new[] { t, u, l }) Ok(closesocket(s));
    }

    [Fact]
    public void getsockname_getpeername_SmallBuffer_WSAEFAULT()
    {
        var (c, s) = TcpPair();
        var name = new byte[8];
        int len = name.Length;
        Fails(WSAEFAULT, getsockname(s, name, ref len));
        len = name.Length;
        Fails(WSAEFAULT, getpeername(s, name, ref len));
        var six = TcpPair(AF_INET6);
        var name16 = new byte[16];
        len = name16.Length;
        Fails(WSAEFAULT, getsockname(six.Server, name16, ref len)); // an IPv6 address needs 28 bytes
        foreach (var x in new[] { c, s, six.Client, six.Server }) Ok(closesocket(x));
    }

    [Fact]
    public void bind_Twice_WSAEINVAL()
    {
        foreach (var s in new[] { Tcp(), Udp() })
        {
            var addr = Loopback();
            Ok(bind(s, addr, addr.Length));
            Fails(WSAEINVAL, bind(s, addr, addr.Length));
            Ok(closesocket(s));
        }
    }

    [Fact]
    public void bind_AddressInUse_WSAEADDRINUSE()
    {
        var (l, addr) = Listen();
        var t = Tcp();
        Fails(WSAEADDRINUSE, bind(t, addr, addr.Length));
        var (a, addrA, b, _) = UdpPair();
        var u = Udp();
        Fails(WSAEADDRINUSE, bind(u, addrA, addrA.Length));
        foreach (var s in new[] { l, t, a, b, u }) Ok(closesocket(s));
    }

    [Fact]
    public void bind_WrongFamilyOrShortName_WSAEFAULT()
    {
        var t = Tcp();
        var v6 = Loopback6();
        Fails(WSAEFAULT, bind(t, v6, v6.Length));
        var v4 = Loopback();
        Fails(WSAEFAULT, bind(t, v4, 8));
        Ok(closesocket(t));
    }

    [Fact]
    public void listen_Udp_WSAEOPNOTSUPP()
    {
        var u = Udp();
        var addr = Loopback();
        Ok(bind(u, addr, addr.Length));
        Fails(WSAEOPNOTSUPP, listen(u, 1));
        Ok(closesocket(u));
    }

    [Fact]
    public void listen_Unbound_WSAEINVAL()
    {
        var t = Tcp();
        Fails(WSAEINVAL, listen(t, 1));
        Ok(closesocket(t));
    }

    [Fact]
    public void WSAConnect_CallerDataOnTcp_WSAEPROTONOSUPPORT()
    {
        var (l, addr) = Listen();
        var c = Tcp();
        Fails(WSAEPROTONOSUPPORT, WSAConnect(c, addr, addr.Length, new WSABUF(Bytes("hello")), null, null, null));
        Fails(WSAEPROTONOSUPPORT, WSAConnect(c, addr, addr.Length, null, new WSABUF(new byte[16]), null, null));
        // Empty connect data is no connect data.
        Ok(WSAConnect(c, addr, addr.Length, new WSABUF(), null, null, null));
        foreach (var s in new[] { c, l }) Ok(closesocket(s));
    }

    [Fact]
    public void connect_AddrAny_WSAEADDRNOTAVAIL()
    {
        var (l, _) = Listen();
        var c = Tcp();
        var any = SockAddr.From(new IPEndPoint(IPAddress.Any, PortOf(l)));
        Fails(WSAEADDRNOTAVAIL, connect(c, any, any.Length));
        var c6 = Tcp(AF_INET6);
        var any6 = SockAddr.From(new IPEndPoint(IPAddress.IPv6Any, 5150));
        Fails(WSAEADDRNOTAVAIL, connect(c6, any6, any6.Length));
        foreach (var s in new[] { c, c6, l }) Ok(closesocket(s));
    }

    [Fact]
    public void connect_Refused_WSAECONNREFUSED()
    {
        var holder = Tcp();
        var any = Loopback();
        Ok(bind(holder, any, any.Length)); // bound, not listening: nothing accepts on this port
        var dead = Loopback(PortOf(holder));
        var c = Tcp();
        Fails(WSAECONNREFUSED, connect(c, dead, dead.Length));
        foreach (var s in new[] { c, holder }) Ok(closesocket(s));
    }

    [Fact]
    public void WSASendDisconnect_WSARecvDisconnect_WithData_WSAENOPROTOOPT()
    {
        var (c, s) = TcpPair();
        Fails(WSAENOPROTOOPT, WSASendDisconnect(c, new WSABUF(Bytes("bye"))));
        Fails(WSAENOPROTOOPT, WSARecvDisconnect(s, new WSABUF(new byte[16])));
        // Without data they are shutdown(SD_SEND) and shutdown(SD_RECEIVE).
        Ok(WSASendDisconnect(c, null));
        var buf = new byte[4];
        Assert.Equal(0, recv(s, buf, buf.Length, 0)); // the peer sees the graceful close
        Ok(WSARecvDisconnect(s, null));
        foreach (var x in new[] { c, s }) Ok(closesocket(x));
    }

    [Fact]
    public void ioctlsocket_FIONREAD_CountsQueuedBytes()
    {
        var (c, s) = TcpPair();
        uint n = 99;
        Ok(ioctlsocket(s, FIONREAD, ref n));
        Assert.Equal(0u, n);
        Assert.Equal(10, send(c, Bytes("0123456789"), 10, 0));
        Eventually(() => { uint k = 0; return ioctlsocket(s, FIONREAD, ref k) == 0 && k == 10; }, "10 bytes queued");
        var buf = new byte[4];
        Assert.Equal(4, recv(s, buf, 4, 0));
        n = 0;
        Ok(ioctlsocket(s, FIONREAD, ref n));
        Assert.Equal(6u, n);
        foreach (var x in new[] { c, s }) Ok(closesocket(x));

        var (a, _, b, addrB) = UdpPair();
        Assert.Equal(7, sendto(a, Bytes("datagram"), 7, 0, addrB, addrB.Length));
        Eventually(() => { uint k = 0; return ioctlsocket(b, FIONREAD, ref k) == 0 && k == 7; }, "a 7-byte datagram queued");
        foreach (var x in new[] { a, b }) Ok(closesocket(x));
    }

    [Fact]
    public void ioctlsocket_UnknownCode_WSAEOPNOTSUPP()
    {
        // Windows answers a code no driver knows with WSAEOPNOTSUPP (Wine's test_unsupported_ioctls).
        var t = Tcp();
        uint arg = 0;
        Fails(WSAEOPNOTSUPP, ioctlsocket(t, 0x4004_7777, ref arg));
        Ok(closesocket(t));
    }

    [Fact]
    public void WSAIoctl_QosOnTcpAndUdp_WSAENOPROTOOPT()
    {
        // SPEC §6: a provider without XP1_QOS_SUPPORTED answers SIO_SET_QOS (and the other QoS ioctls) with
        // WSAENOPROTOOPT; so TCP/UDP never record FD_QOS, and SIO_GET_QOS has nothing to re-enable.
        foreach (var s in new[] { Tcp(), Udp() })
        {
            var qos = new byte[256];
            foreach (var code in new[] { SIO_SET_QOS, SIO_GET_QOS, SIO_SET_GROUP_QOS, SIO_GET_GROUP_QOS })
                Fails(WSAENOPROTOOPT, WSAIoctl(s, code, qos, (uint)qos.Length, qos, (uint)qos.Length, out _, null, null));
            Ok(closesocket(s));
        }
    }

    [Fact]
    public void accept_NotListening_WSAEINVAL()
    {
        var t = Tcp();
        var addr = Loopback();
        Ok(bind(t, addr, addr.Length));
        Fails(WSAEINVAL, accept(t));
        Ok(closesocket(t));
    }

    [Fact]
    public void connect_Listening_WSAEINVAL_Connected_WSAEISCONN()
    {
        var (l, addr) = Listen();
        Fails(WSAEINVAL, connect(l, addr, addr.Length));
        var (c, s) = TcpPair();
        Fails(WSAEISCONN, connect(c, addr, addr.Length));
        Fails(WSAEISCONN, listen(c, 1));
        foreach (var x in new[] { l, c, s }) Ok(closesocket(x));
    }

    [Fact]
    public void shutdown_UnconnectedTcp_WSAENOTCONN_BadHow_WSAEINVAL()
    {
        var t = Tcp();
        Fails(WSAENOTCONN, shutdown(t, SD_SEND));
        var (c, s) = TcpPair();
        Fails(WSAEINVAL, shutdown(c, 3));
        Ok(shutdown(c, SD_BOTH));
        foreach (var x in new[] { t, c, s }) Ok(closesocket(x));
    }
}
