using System.Net;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Porting;

/// <summary>getaddrinfo / GetAddrInfoW: results, the hints rules and every EAI code reachable without leaving the machine.</summary>
public sealed class AddressInfoTests : WinsockTest
{
    private static List<addrinfo> List(addrinfo? head)
    {
        var list = new List<addrinfo>();
        for (var p = head; p is not null; p = p.ai_next) list.Add(p);
        return list;
    }

    private static IPEndPoint EndPoint(addrinfo a) => SockAddr.ToEndPoint(a.ai_addr!);

    [Fact]
    public void getaddrinfo_NumericHostAndPort_OneEntryWithTheHints()
    {
        var hints = new addrinfo { ai_family = AF_INET, ai_socktype = SOCK_STREAM, ai_protocol = IPPROTO_TCP };
        Assert.Equal(0, getaddrinfo("127.0.0.1", "5150", hints, out var result));
        var list = List(result);
        var only = Assert.Single(list);
        Assert.Equal(AF_INET, only.ai_family);
        Assert.Equal(SOCK_STREAM, only.ai_socktype);
        Assert.Equal(IPPROTO_TCP, only.ai_protocol);
        Assert.Equal((nuint)16, only.ai_addrlen);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5150), EndPoint(only));
        freeaddrinfo(result);
    }

    [Fact]
    public void getaddrinfo_NullNodePassive_TheWildcard()
    {
        var hints = new addrinfo { ai_flags = AI_PASSIVE, ai_family = AF_INET, ai_socktype = SOCK_STREAM };
        Assert.Equal(0, getaddrinfo(null, "0", hints, out var result));
        Assert.Equal(IPAddress.Any, EndPoint(result!).Address);
    }

    [Fact]
    public void getaddrinfo_NullNodeNotPassive_LoopbackIPv6First()
    {
        Assert.Equal(0, getaddrinfo(null, "7", new addrinfo(), out var result));
        var addresses = List(result).Select(a => EndPoint(a).Address).ToArray();
        Assert.Equal([IPAddress.IPv6Loopback, IPAddress.Loopback], addresses);
    }

    [Fact]
    public void getaddrinfo_Localhost_ResolvedByTheHostsFile()
    {
        var hints = new addrinfo { ai_family = AF_INET, ai_flags = AI_CANONNAME };
        Assert.Equal(0, GetAddrInfoW("localhost", null, hints, out var result));
        Assert.Contains(List(result), a => EndPoint(a).Address.Equals(IPAddress.Loopback));
        Assert.False(string.IsNullOrEmpty(result!.ai_canonname));
        FreeAddrInfoW(result);
    }

    [Fact]
    public void getaddrinfo_ServiceName_PortFromTheServicesDatabase()
    {
        var hints = new addrinfo { ai_family = AF_INET, ai_socktype = SOCK_STREAM };
        Assert.Equal(0, getaddrinfo("127.0.0.1", "http", hints, out var result));
        Assert.Equal(80, EndPoint(result!).Port);
    }

    [Fact]
    public void getaddrinfo_V4MappedOnIPv6_MappedAddress()
    {
        var hints = new addrinfo { ai_family = AF_INET6, ai_flags = AI_V4MAPPED };
        Assert.Equal(0, getaddrinfo("127.0.0.1", "1", hints, out var result));
        Assert.Equal(IPAddress.Loopback.MapToIPv6(), EndPoint(result!).Address);
    }

    [Fact]
    public void getaddrinfo_ResultAddresses_BindAndConnectAsCWould()
    {
        var passive = new addrinfo { ai_flags = AI_PASSIVE, ai_family = AF_INET, ai_socktype = SOCK_STREAM, ai_protocol = IPPROTO_TCP };
        Assert.Equal(0, getaddrinfo("127.0.0.1", "0", passive, out var local));
        var listener = socket(local!.ai_family, local.ai_socktype, local.ai_protocol);
        var client = INVALID_SOCKET;
        try
        {
            Assert.Equal(0, bind(listener, local.ai_addr!, (int)local.ai_addrlen));
            Assert.Equal(0, listen(listener, SOMAXCONN));
            var name = new byte[16];
            int len = name.Length;
            Assert.Equal(0, getsockname(listener, name, ref len));
            string port = SockAddr.ToEndPoint(name).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(0, getaddrinfo("127.0.0.1", port, new addrinfo { ai_socktype = SOCK_STREAM }, out var remote));
            client = socket(remote!.ai_family, SOCK_STREAM, IPPROTO_TCP);
            Assert.Equal(0, connect(client, remote.ai_addr!, (int)remote.ai_addrlen));
        }
        finally
        {
            if (client.IsValid) closesocket(client);
            closesocket(listener);
        }
    }

    [Fact]
    public void getaddrinfo_BothNamesNull_EAI_NONAME()
    {
        Assert.Equal(EAI_NONAME, getaddrinfo(null, null, null, out var result));
        Assert.Null(result);
        Assert.Equal(WSAHOST_NOT_FOUND, WSAGetLastError());
    }

    [Fact]
    public void getaddrinfo_NumericHostFlagWithAName_EAI_NONAME()
    {
        Assert.Equal(EAI_NONAME, getaddrinfo("localhost", null, new addrinfo { ai_flags = AI_NUMERICHOST }, out _));
    }

    [Fact]
    public void getaddrinfo_NumericServFlagWithAName_EAI_NONAME()
    {
        Assert.Equal(EAI_NONAME, getaddrinfo("127.0.0.1", "http", new addrinfo { ai_flags = AI_NUMERICSERV }, out _));
    }

    [Fact]
    public void getaddrinfo_UnknownService_EAI_SERVICE()
    {
        Assert.Equal(EAI_SERVICE, getaddrinfo("127.0.0.1", "no-such-service-here", null, out _));
        Assert.Equal(WSATYPE_NOT_FOUND, WSAGetLastError());
        Assert.Equal(EAI_SERVICE, getaddrinfo("127.0.0.1", "65536x", null, out _));
    }

    [Fact]
    public void getaddrinfo_BadFamily_EAI_FAMILY()
    {
        Assert.Equal(EAI_FAMILY, getaddrinfo("127.0.0.1", null, new addrinfo { ai_family = 99 }, out _));
        Assert.Equal(WSAEAFNOSUPPORT, WSAGetLastError());
    }

    [Fact]
    public void getaddrinfo_BadSocketType_EAI_SOCKTYPE()
    {
        Assert.Equal(EAI_SOCKTYPE, getaddrinfo("127.0.0.1", null, new addrinfo { ai_socktype = 99 }, out _));
        Assert.Equal(WSAESOCKTNOSUPPORT, WSAGetLastError());
    }

    [Fact]
    public void getaddrinfo_UnknownFlag_EAI_BADFLAGS()
    {
        Assert.Equal(EAI_BADFLAGS, getaddrinfo("127.0.0.1", null, new addrinfo { ai_flags = 0x40000000 }, out _));
        Assert.Equal(WSAEINVAL, WSAGetLastError());
    }

    [Fact]
    public void getaddrinfo_CanonNameWithoutHostOrExtraHintField_EAI_FAIL()
    {
        Assert.Equal(EAI_FAIL, getaddrinfo(null, "80", new addrinfo { ai_flags = AI_CANONNAME }, out _));
        Assert.Equal(WSANO_RECOVERY, WSAGetLastError());
        Assert.Equal(EAI_FAIL, getaddrinfo("127.0.0.1", null, new addrinfo { ai_addrlen = 16 }, out _));
    }

    [Fact]
    public void getaddrinfo_NumericHostOfTheOtherFamily_EAI_NONAME()
    {
        Assert.Equal(EAI_NONAME, getaddrinfo("::1", null, new addrinfo { ai_family = AF_INET }, out _));
    }

    [Fact]
    public void getaddrinfo_NotStarted_WSANOTINITIALISED()
    {
        Assert.Equal(0, WSACleanup());
        try { Assert.Equal(WSANOTINITIALISED, getaddrinfo("127.0.0.1", "80", null, out _)); }
        finally { Assert.Equal(0, WSAStartup(0x0202, out _)); }
    }

    [Fact]
    public void gai_strerror_Codes_TheirTexts()
    {
        Assert.Equal("No such host is known.", gai_strerror(EAI_NONAME));
        Assert.NotEqual(gai_strerror(EAI_FAIL), gai_strerror(EAI_AGAIN));
    }
}
