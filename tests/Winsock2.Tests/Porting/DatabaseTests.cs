using System.Net;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Porting;

/// <summary>
/// gethostname, gethostbyname, gethostbyaddr, getservbyname/port, getprotobyname/number. Names come only from the
/// hosts file ("localhost") or are numeric: nothing here sends a query off the machine.
/// </summary>
public sealed class DatabaseTests : WinsockTest
{
    [Fact]
    public void gethostname_Buffer_TheHostNameNulTerminated()
    {
        var buf = new char[256];
        Assert.Equal(0, gethostname(buf, buf.Length));
        string name = new(buf, 0, Array.IndexOf(buf, '\0'));
        Assert.Equal(Dns.GetHostName(), name);
        Assert.Equal(0, GetHostNameW(new char[256], 256));
    }

    [Fact]
    public void gethostname_ShortBuffer_WSAEFAULT()
    {
        int len = Dns.GetHostName().Length; // the NUL needs one more
        Assert.Equal(SOCKET_ERROR, gethostname(new char[len], len));
        Assert.Equal(WSAEFAULT, WSAGetLastError());
        Assert.Equal(SOCKET_ERROR, gethostname(null, 256));
        Assert.Equal(WSAEFAULT, WSAGetLastError());
    }

    [Fact]
    public void gethostbyname_Localhost_HasTheLoopbackAddress()
    {
        var h = gethostbyname("localhost");
        Assert.NotNull(h);
        Assert.Equal(AF_INET, h!.h_addrtype);
        Assert.Equal(4, h.h_length);
        Assert.Contains(h.h_addr_list, a => a.SequenceEqual(new byte[] { 127, 0, 0, 1 }));
    }

    [Fact]
    public void gethostbyname_DottedAddress_ReturnedWithoutLookup()
    {
        var h = gethostbyname("192.0.2.7");
        Assert.NotNull(h);
        Assert.Equal("192.0.2.7", h!.h_name);
        Assert.Equal(new byte[] { 192, 0, 2, 7 }, h.h_addr);
    }

    [Fact]
    public void gethostbyaddr_Loopback_NamedByTheHostsFile()
    {
        var h = gethostbyaddr([127, 0, 0, 1], 4, AF_INET);
        Assert.NotNull(h);
        Assert.False(string.IsNullOrEmpty(h!.h_name));
        Assert.Equal(new byte[] { 127, 0, 0, 1 }, h.h_addr);
    }

    [Fact]
    public void gethostbyaddr_WrongLengthOrFamily_WSAEFAULTOrWSAEAFNOSUPPORT()
    {
        Assert.Null(gethostbyaddr([127, 0, 0, 1], 3, AF_INET));
        Assert.Equal(WSAEFAULT, WSAGetLastError());
        Assert.Null(gethostbyaddr([127, 0, 0, 1], 4, 99));
        Assert.Equal(WSAEAFNOSUPPORT, WSAGetLastError());
    }

    [Fact]
    public void getservbyname_KnownService_PortInNetworkOrder()
    {
        var s = getservbyname("http", "tcp");
        Assert.NotNull(s);
        Assert.Equal((short)htons(80), s!.s_port);
        Assert.Equal("tcp", s.s_proto);
        Assert.Equal("domain", getservbyport(htons(53), "udp")!.s_name);
        Assert.Equal("http", getservbyport(htons(80), null)!.s_name);
    }

    [Fact]
    public void getservbyname_Unknown_NullWSANO_DATA()
    {
        Assert.Null(getservbyname("no-such-service-here", "tcp"));
        Assert.Equal(WSANO_DATA, WSAGetLastError());
        Assert.Null(getservbyport(htons(1), "no-such-protocol"));
        Assert.Equal(WSANO_DATA, WSAGetLastError());
    }

    [Fact]
    public void getprotobyname_getprotobynumber_TcpAndUdp()
    {
        Assert.Equal(IPPROTO_TCP, getprotobyname("tcp")!.p_proto);
        Assert.Equal("udp", getprotobynumber(IPPROTO_UDP)!.p_name);
        Assert.Null(getprotobyname("no-such-protocol"));
        Assert.Equal(WSANO_DATA, WSAGetLastError());
    }

    [Fact]
    public void gethostbyname_NotStarted_WSANOTINITIALISED()
    {
        Assert.Equal(0, WSACleanup());
        try
        {
            Assert.Null(gethostbyname("localhost"));
            Assert.Equal(WSANOTINITIALISED, WSAGetLastError());
            Assert.Null(getservbyname("http", "tcp"));
            Assert.Equal(WSANOTINITIALISED, WSAGetLastError());
            Assert.Equal(SOCKET_ERROR, gethostname(new char[256], 256));
            Assert.Equal(WSANOTINITIALISED, WSAGetLastError());
        }
        finally { Assert.Equal(0, WSAStartup(0x0202, out _)); }
    }

    [Fact]
    public void Sleep_Milliseconds_ReturnsAfterwards()
    {
        long before = Environment.TickCount64;
        Sleep(20);
        Assert.True(Environment.TickCount64 - before >= 15);
    }
}
