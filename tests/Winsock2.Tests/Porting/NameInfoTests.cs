using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Porting;

/// <summary>getnameinfo / GetNameInfoW: numeric and named answers, the flags, and the error codes.</summary>
public sealed class NameInfoTests : WinsockTest
{
    private static string Text(char[] buf) => new(buf, 0, Array.IndexOf(buf, '\0'));

    [Fact]
    public void getnameinfo_NumericFlags_AddressAndPortAsText()
    {
        var sa = SockAddr.From("127.0.0.1", 80);
        var host = new char[NI_MAXHOST];
        var serv = new char[NI_MAXSERV];
        Assert.Equal(0, getnameinfo(sa, sa.Length, host, NI_MAXHOST, serv, NI_MAXSERV, NI_NUMERICHOST | NI_NUMERICSERV));
        Assert.Equal("127.0.0.1", Text(host));
        Assert.Equal("80", Text(serv));
    }

    [Fact]
    public void getnameinfo_IPv6Numeric_CompressedText()
    {
        var sa = SockAddr.From("::1", 5150);
        var host = new char[NI_MAXHOST];
        Assert.Equal(0, GetNameInfoW(sa, sa.Length, host, NI_MAXHOST, null, 0, NI_NUMERICHOST));
        Assert.Equal("::1", Text(host));
    }

    [Fact]
    public void getnameinfo_Loopback_NamedByTheHostsFileAndServicesDatabase()
    {
        var sa = SockAddr.From("127.0.0.1", 80);
        var host = new char[NI_MAXHOST];
        var serv = new char[NI_MAXSERV];
        Assert.Equal(0, getnameinfo(sa, sa.Length, host, NI_MAXHOST, serv, NI_MAXSERV, NI_NAMEREQD));
        Assert.Equal(System.Net.Dns.GetHostEntry(System.Net.IPAddress.Loopback).HostName, Text(host));
        Assert.Equal("http", Text(serv));
    }

    [Fact]
    public void getnameinfo_Dgram_ServiceNamedForUdp()
    {
        var sa = SockAddr.From("127.0.0.1", 53);
        var serv = new char[NI_MAXSERV];
        Assert.Equal(0, getnameinfo(sa, sa.Length, null, 0, serv, NI_MAXSERV, NI_DGRAM));
        Assert.Equal("domain", Text(serv));
    }

    [Fact]
    public void getnameinfo_BufferTooSmall_WSAEFAULT()
    {
        var sa = SockAddr.From("127.0.0.1", 80);
        Assert.Equal(WSAEFAULT, getnameinfo(sa, sa.Length, new char[9], 9, null, 0, NI_NUMERICHOST));
        Assert.Equal(WSAEFAULT, WSAGetLastError());
        Assert.Equal(0, getnameinfo(sa, sa.Length, new char[10], 10, null, 0, NI_NUMERICHOST));
    }

    [Fact]
    public void getnameinfo_ShortOrNullSockaddr_WSAEFAULT()
    {
        var sa = SockAddr.From("127.0.0.1", 80);
        Assert.Equal(WSAEFAULT, getnameinfo(sa, 8, new char[64], 64, null, 0, NI_NUMERICHOST));
        Assert.Equal(WSAEFAULT, getnameinfo(null, 16, new char[64], 64, null, 0, NI_NUMERICHOST));
    }

    [Fact]
    public void getnameinfo_OtherFamily_EAI_FAMILY()
    {
        var sa = new byte[16];
        sa[0] = 99;
        Assert.Equal(EAI_FAMILY, getnameinfo(sa, sa.Length, new char[64], 64, null, 0, 0));
    }

    [Fact]
    public void getnameinfo_ZeroSizeOrUnknownFlag_EAI_BADFLAGS()
    {
        var sa = SockAddr.From("127.0.0.1", 80);
        Assert.Equal(EAI_BADFLAGS, getnameinfo(sa, sa.Length, new char[64], 0, null, 0, NI_NUMERICHOST));
        Assert.Equal(EAI_BADFLAGS, getnameinfo(sa, sa.Length, new char[64], 64, null, 0, 0x4000));
    }

    [Fact]
    public void getnameinfo_NeitherBuffer_EAI_NONAME()
    {
        var sa = SockAddr.From("127.0.0.1", 80);
        Assert.Equal(EAI_NONAME, getnameinfo(sa, sa.Length, null, 0, null, 0, 0));
    }
}
