using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Porting;

/// <summary>The address structures passed by ref wherever C passes <c>(SOCKADDR*)&amp;addr</c>, and their length rules.</summary>
public sealed unsafe class SockAddrOverloadTests : WinsockTest
{
    private static SOCKADDR_IN In4(uint hostAddress, ushort port)
    {
        SOCKADDR_IN a = default;
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(hostAddress);
        return a;
    }

    private static SOCKADDR_IN6 Loopback6Struct(ushort port)
    {
        SOCKADDR_IN6 a = default;
        a.sin6_family = AF_INET6;
        a.sin6_port = htons(port);
        a.sin6_addr = in6addr_loopback;
        return a;
    }

    [Fact]
    public void bind_connect_accept_SockaddrIn_TheClassicServerLines()
    {
        SOCKET listener = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        SOCKADDR_IN local = In4(INADDR_ANY, 0);
        Ok(bind(listener, ref local, sizeof(SOCKADDR_IN)), "bind");
        Ok(listen(listener, SOMAXCONN), "listen");
        SOCKADDR_IN bound = default;
        int len = sizeof(SOCKADDR_IN);
        Ok(getsockname(listener, ref bound, ref len), "getsockname");
        Assert.Equal(sizeof(SOCKADDR_IN), len);
        Assert.Equal(AF_INET, bound.sin_family);
        Assert.NotEqual(0, ntohs(bound.sin_port));

        SOCKET client = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        SOCKADDR_IN server = In4(INADDR_LOOPBACK, ntohs(bound.sin_port));
        Ok(connect(client, ref server, sizeof(SOCKADDR_IN)), "connect");

        SOCKADDR_IN peer = default;
        int peerLen = sizeof(SOCKADDR_IN);
        SOCKET conn = Check(accept(listener, ref peer, ref peerLen));
        Assert.Equal(sizeof(SOCKADDR_IN), peerLen);
        Assert.Equal(AF_INET, peer.sin_family);
        Assert.Equal(htonl(INADDR_LOOPBACK), peer.sin_addr.s_addr);
        SOCKADDR_IN clientName = default;
        int clientLen = sizeof(SOCKADDR_IN);
        Ok(getsockname(client, ref clientName, ref clientLen), "getsockname client");
        Assert.Equal(clientName.sin_port, peer.sin_port);

        SOCKADDR_IN seen = default;
        int seenLen = sizeof(SOCKADDR_IN);
        Ok(getpeername(client, ref seen, ref seenLen), "getpeername");
        Assert.Equal(server.sin_port, seen.sin_port);
        Assert.Equal(server.sin_addr, seen.sin_addr);
        closesocket(conn); closesocket(client); closesocket(listener);
    }

    [Fact]
    public void bind_LengthShortOfSockaddrIn_WSAEFAULT()
    {
        SOCKET s = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        SOCKADDR_IN local = In4(INADDR_LOOPBACK, 0);
        Fails(WSAEFAULT, bind(s, ref local, sizeof(SOCKADDR_IN) - 1));
        Ok(bind(s, ref local, sizeof(SOCKADDR_IN)));
        closesocket(s);
    }

    [Fact]
    public void bind_LengthPastTheStructure_UsesTheStructure()
    {
        SOCKET s = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        SOCKADDR_IN local = In4(INADDR_LOOPBACK, 0);
        Ok(bind(s, ref local, sizeof(SOCKADDR_STORAGE)), "bind with a storage-sized length");
        closesocket(s);
    }

    [Fact]
    public void getsockname_SockaddrInForIPv6Socket_WSAEFAULTWithSizeNeeded()
    {
        SOCKET s = Check(socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP));
        SOCKADDR_IN6 local = Loopback6Struct(0);
        Ok(bind(s, ref local, sizeof(SOCKADDR_IN6)), "bind");
        SOCKADDR_IN small = default;
        int len = sizeof(SOCKADDR_IN);
        Fails(WSAEFAULT, getsockname(s, ref small, ref len));
        Assert.Equal(sizeof(SOCKADDR_IN6), len);
        Assert.Equal(0, small.sin_family); // nothing written
        len = sizeof(SOCKADDR_STORAGE); // a length past the structure is capped at its size: still too small
        Fails(WSAEFAULT, getsockname(s, ref small, ref len));
        closesocket(s);
    }

    [Fact]
    public void getsockname_NotASocket_WSAENOTSOCKLengthAndStructureUntouched()
    {
        SOCKET s = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        closesocket(s);
        SOCKADDR_IN name = default;
        name.sin_port = 77;
        int len = sizeof(SOCKADDR_STORAGE);
        Fails(WSAENOTSOCK, getsockname(s, ref name, ref len));
        Assert.Equal(sizeof(SOCKADDR_STORAGE), len);
        Assert.Equal(77, name.sin_port);
    }

    [Fact]
    public void getsockname_Storage_HoldsIPv6AndViewsAsSockaddrIn6()
    {
        SOCKET s = Check(socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP));
        SOCKADDR_IN6 local = Loopback6Struct(0);
        Ok(bind(s, ref local, sizeof(SOCKADDR_IN6)), "bind");
        SOCKADDR_STORAGE ss = default;
        int len = sizeof(SOCKADDR_STORAGE);
        Ok(getsockname(s, ref ss, ref len), "getsockname");
        Assert.Equal(sizeof(SOCKADDR_IN6), len);
        Assert.Equal(AF_INET6, ss.ss_family);
        ref SOCKADDR_IN6 sin6 = ref SockAddr.As<SOCKADDR_IN6>(ref ss);
        Assert.True(sin6.sin6_addr == in6addr_loopback);
        Assert.NotEqual(0, ntohs(sin6.sin6_port));
        closesocket(s);
    }

    [Fact]
    public void accept_SockaddrInOnIPv6Listener_WSAEFAULT()
    {
        var (l, _) = Listen(AF_INET6);
        SOCKADDR_IN peer = default;
        int len = sizeof(SOCKADDR_IN);
        Fails(WSAEFAULT, accept(l, ref peer, ref len));
        closesocket(l);
    }

    [Fact]
    public void sendto_recvfrom_Udp_SockaddrIn6AndStorage()
    {
        SOCKET a = Check(socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP));
        SOCKET b = Check(socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP));
        SOCKADDR_IN6 any = Loopback6Struct(0);
        Ok(bind(a, ref any, sizeof(SOCKADDR_IN6)));
        Ok(bind(b, ref any, sizeof(SOCKADDR_IN6)));
        SOCKADDR_IN6 to = default;
        int tolen = sizeof(SOCKADDR_IN6);
        Ok(getsockname(b, ref to, ref tolen));
        var msg = Bytes("datagram");
        Assert.Equal(msg.Length, sendto(a, msg, msg.Length, 0, ref to, sizeof(SOCKADDR_IN6)));

        var buf = new byte[64];
        SOCKADDR_STORAGE from = default;
        int fromlen = sizeof(SOCKADDR_STORAGE);
        Assert.Equal(msg.Length, recvfrom(b, buf, buf.Length, 0, ref from, ref fromlen));
        Assert.Equal("datagram", Text(buf, msg.Length));
        Assert.Equal(sizeof(SOCKADDR_IN6), fromlen);
        Assert.Equal(AF_INET6, from.ss_family);
        Assert.Equal(PortOf(a), ntohs(SockAddr.As<SOCKADDR_IN6>(ref from).sin6_port));
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void recvfrom_SockaddrInTooSmallFromlen_WSAEFAULT()
    {
        var (a, _, b, addrB) = UdpPair();
        Assert.Equal(1, sendto(a, [7], 1, 0, addrB, addrB.Length));
        SOCKADDR_IN from = default;
        int fromlen = sizeof(SOCKADDR_IN) - 1;
        Fails(WSAEFAULT, recvfrom(b, new byte[4], 4, 0, ref from, ref fromlen));
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSASendTo_WSARecvFrom_SockaddrIn()
    {
        var (a, _, b, addrB) = UdpPair();
        SOCKADDR_IN to = (SOCKADDR_IN)addrB;
        Ok(WSASendTo(a, [new WSABUF(Bytes("abc"))], 1, out uint sent, 0, ref to, sizeof(SOCKADDR_IN), null, null), "WSASendTo");
        Assert.Equal(3u, sent);
        SOCKADDR_IN from = default;
        int fromlen = sizeof(SOCKADDR_IN);
        uint flags = 0;
        var buf = new byte[8];
        Ok(WSARecvFrom(b, [new WSABUF(buf)], 1, out uint got, ref flags, ref from, ref fromlen, null, null), "WSARecvFrom");
        Assert.Equal(3u, got);
        Assert.Equal(PortOf(a), ntohs(from.sin_port));
        Assert.Equal(htonl(INADDR_LOOPBACK), from.sin_addr.s_addr);
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecvFrom_StructWithOverlapped_WSAEINVAL()
    {
        var (a, _, b, _) = UdpPair();
        SOCKADDR_IN from = default;
        int fromlen = sizeof(SOCKADDR_IN);
        uint flags = 0;
        Fails(WSAEINVAL, WSARecvFrom(b, [new WSABUF(new byte[8])], 1, out _, ref flags, ref from, ref fromlen, new WSAOVERLAPPED(), null));
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSAConnect_SockaddrIn_Connects()
    {
        var (l, addr) = Listen();
        SOCKET c = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        SOCKADDR_IN server = (SOCKADDR_IN)addr;
        Ok(WSAConnect(c, ref server, sizeof(SOCKADDR_IN), null, null, null, null), "WSAConnect");
        SOCKET s = Check(accept(l));
        closesocket(s); closesocket(c); closesocket(l);
    }

    [Fact]
    public void WSAStringToAddress_WSAAddressToString_SockaddrIn()
    {
        SOCKADDR_IN sin = default;
        int len = sizeof(SOCKADDR_IN);
        Ok(WSAStringToAddress("192.0.2.7:8080", AF_INET, null, ref sin, ref len), "WSAStringToAddress");
        Assert.Equal(sizeof(SOCKADDR_IN), len);
        Assert.Equal(AF_INET, sin.sin_family);
        Assert.Equal(8080, ntohs(sin.sin_port));
        Assert.Equal(inet_addr("192.0.2.7"), sin.sin_addr.s_addr);
        Ok(WSAAddressToString(ref sin, sizeof(SOCKADDR_IN), null, out string text), "WSAAddressToString");
        Assert.Equal("192.0.2.7:8080", text);
    }

    [Fact]
    public void WSAStringToAddress_SockaddrInForIPv6Text_WSAEFAULTWithSizeNeeded()
    {
        SOCKADDR_IN sin = default;
        int len = sizeof(SOCKADDR_IN);
        Fails(WSAEFAULT, WSAStringToAddress("::1", AF_INET6, null, ref sin, ref len));
        Assert.Equal(sizeof(SOCKADDR_IN6), len);
        SOCKADDR_IN6 sin6 = default;
        len = sizeof(SOCKADDR_IN6);
        Ok(WSAStringToAddress("::1", AF_INET6, null, ref sin6, ref len));
        Assert.True(sin6.sin6_addr == in6addr_loopback);
    }

    [Fact]
    public void inet_pton_inet_ntop_IntoAndFromTheStructureFields()
    {
        SOCKADDR_IN sin = default;
        Assert.Equal(1, inet_pton(AF_INET, "198.51.100.3", ref sin.sin_addr));
        Assert.Equal(inet_addr("198.51.100.3"), sin.sin_addr.s_addr);
        var text = new char[INET_ADDRSTRLEN];
        Assert.Equal("198.51.100.3", inet_ntop(AF_INET, in sin.sin_addr, text, (nuint)text.Length));

        SOCKADDR_IN6 sin6 = default;
        Assert.Equal(1, inet_pton(AF_INET6, "2001:db8::5", ref sin6.sin6_addr));
        Assert.Equal(0x20, sin6.sin6_addr.s6_addr[0]);
        Assert.Equal(5, sin6.sin6_addr.s6_addr[15]);
        var text6 = new char[INET6_ADDRSTRLEN];
        Assert.Equal("2001:db8::5", inet_ntop(AF_INET6, in sin6.sin6_addr, text6, (nuint)text6.Length));
    }

    [Fact]
    public void inet_pton_IPv6TextIntoIN_ADDR_WSAEFAULT()
    {
        IN_ADDR a = default;
        Assert.Equal(-1, inet_pton(AF_INET6, "::1", ref a));
        Assert.Equal(WSAEFAULT, WSAGetLastError());
    }

    [Fact]
    public void getnameinfo_SockaddrIn_NumericHostAndService()
    {
        SOCKADDR_IN sin = In4(INADDR_LOOPBACK, 5150);
        var host = new char[NI_MAXHOST];
        var serv = new char[NI_MAXSERV];
        Assert.Equal(0, getnameinfo(in sin, sizeof(SOCKADDR_IN), host, NI_MAXHOST, serv, NI_MAXSERV, NI_NUMERICHOST | NI_NUMERICSERV));
        Assert.Equal("127.0.0.1", new string(host, 0, Array.IndexOf(host, '\0')));
        Assert.Equal("5150", new string(serv, 0, Array.IndexOf(serv, '\0')));
        Assert.Equal(WSAEFAULT, getnameinfo(in sin, sizeof(SOCKADDR_IN) - 1, host, NI_MAXHOST, serv, NI_MAXSERV, NI_NUMERICHOST));
    }

    [Fact]
    public void getaddrinfo_ai_addr_ViewedAsSockaddrIn_AndConnectedTo()
    {
        var (l, addr) = Listen();
        var hints = new addrinfo { ai_family = AF_INET, ai_socktype = SOCK_STREAM, ai_flags = AI_NUMERICHOST };
        Assert.Equal(0, getaddrinfo("127.0.0.1", PortOf(l).ToString(System.Globalization.CultureInfo.InvariantCulture), hints, out addrinfo? result));
        ref SOCKADDR_IN sin = ref SockAddr.As<SOCKADDR_IN>(result!.ai_addr!);
        Assert.Equal(AF_INET, sin.sin_family);
        Assert.Equal(PortOf(l), ntohs(sin.sin_port));
        SOCKET c = Check(socket(result.ai_family, result.ai_socktype, result.ai_protocol));
        Ok(connect(c, ref sin, (int)result.ai_addrlen), "connect");
        freeaddrinfo(result);
        SOCKET s = Check(accept(l));
        closesocket(s); closesocket(c); closesocket(l);
    }
}
