using System.Net;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Peers;

/// <summary>
/// ReactOS's modules/rostests/apitests/ws2_32/getaddrinfo.c and gethostname.c: the node and service tables of
/// getaddrinfo and the last error a successful call leaves. Only loopback, numeric and local names are looked up.
/// </summary>
public sealed class AddressInfoPeerTests : WinsockTest
{
    private static addrinfo V4 => new() { ai_family = AF_INET };

    private static IPEndPoint EndPoint(addrinfo a) => SockAddr.ToEndPoint(a.ai_addr!);

    // Mirrors ReactOS getaddrinfo.c TestNodeName (numeric and local rows): numeric hosts, four parts each decimal,
    // octal or hex, come back alone with AI_NUMERICHOST in ai_flags, socket type and protocol 0, no canonical name;
    // "localhost" gives 127.0.0.1 with flags 0; the last error is 0 after each.
    [Theory]
    [InlineData("localhost", "127.0.0.1", 0)]
    [InlineData("7.8.9.10", "7.8.9.10", AI_NUMERICHOST)]
    [InlineData("0.0.0.0", "0.0.0.0", AI_NUMERICHOST)]
    [InlineData("255.255.255.255", "255.255.255.255", AI_NUMERICHOST)]
    [InlineData("0.0.0.0 ", "0.0.0.0", 0)]
    [InlineData("1.2.3.0x4", "1.2.3.4", AI_NUMERICHOST)]
    [InlineData("1.2.3.010", "1.2.3.8", AI_NUMERICHOST)]
    public void getaddrinfo_NodeTableRow_OneAddressWithRecordedFlags(string node, string expected, int flags)
    {
        WSASetLastError(unchecked((int)0xdeadbeef));
        Assert.Equal(0, getaddrinfo(node, null, V4, out var result));
        Assert.Equal(0, WSAGetLastError());
        Assert.NotNull(result);
        Assert.Equal(flags, result.ai_flags);
        Assert.Equal(AF_INET, result.ai_family);
        Assert.Equal(0, result.ai_socktype);
        Assert.Equal(0, result.ai_protocol);
        Assert.Equal((nuint)16, result.ai_addrlen);
        Assert.Null(result.ai_canonname);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(expected), 0), EndPoint(result));
        Assert.Null(result.ai_next);
    }

    // Mirrors ReactOS getaddrinfo.c TestNodeName (failing rows): white space, a port after the name, five parts,
    // a part over 255 and three parts are WSAHOST_NOT_FOUND (EAI_NONAME) in the result and the last error, no list.
    [Theory]
    [InlineData(" ")]
    [InlineData("localhost:80")]
    [InlineData("0.0.0.0:80")]
    [InlineData("0.0.0.0.0")]
    [InlineData("1.1.1.256")]
    [InlineData("1.2.3")]
    public void getaddrinfo_NodeTableBadRow_WSAHOST_NOT_FOUND(string node)
    {
        Assert.Equal(WSAHOST_NOT_FOUND, getaddrinfo(node, null, V4, out var result));
        Assert.Equal(WSAHOST_NOT_FOUND, WSAGetLastError());
        Assert.Null(result);
    }

    // Mirrors ReactOS getaddrinfo.c TestNodeName (first row): "" is the local host, the address gethostbyname gives
    // for the name gethostname gives.
    [SkippableFact]
    public void getaddrinfo_EmptyNode_TheLocalHostsAddress()
    {
        var buf = new char[256];
        Assert.Equal(0, gethostname(buf, buf.Length));
        var host = gethostbyname(new string(buf, 0, Array.IndexOf(buf, '\0')));
        Skip.If(host is null, "the local host name does not resolve on this machine");
        Assert.Equal(0, getaddrinfo("", null, V4, out var result));
        Assert.NotNull(result);
        Assert.Equal(new IPAddress(host.h_addr_list[0]), EndPoint(result).Address);
        Assert.Equal(0, result.ai_flags);
    }

    // Mirrors ReactOS getaddrinfo.c TestServiceName: with no node, a numeric service is read as strtoul reads it and
    // its low 16 bits are the port (127.0.0.1, flags 0, socket type 0); a name gets the services database's port and
    // the socket type of the one protocol that has it (0 when both do); anything else is WSATYPE_NOT_FOUND.
    [SkippableTheory]
    [InlineData("", 0, 0)]
    [InlineData("0", 0, 0)]
    [InlineData("1", 1, 0)]
    [InlineData("a", -1, 0)]
    [InlineData("010", 10, 0)]
    [InlineData("0x1a", -1, 0)]
    [InlineData("http", 80, SOCK_STREAM)]
    [InlineData("smtp", 25, SOCK_STREAM)]
    [InlineData("mail", 25, SOCK_STREAM)]
    [InlineData("router", 520, SOCK_DGRAM)]
    [InlineData("domain", 53, 0)]
    [InlineData(":0", -1, 0)]
    [InlineData("123", 123, 0)]
    [InlineData(" 123", 123, 0)]
    [InlineData("    123", 123, 0)]
    [InlineData("32767", 32767, 0)]
    [InlineData("32768", 32768, 0)]
    [InlineData("65535", 65535, 0)]
    [InlineData("65536", 0, 0)]
    [InlineData("65537", 1, 0)]
    [InlineData("65540", 4, 0)]
    [InlineData("4294967295", 65535, 0)]
    [InlineData("4294967296", 65535, 0)]
    [InlineData("9999999999", 65535, 0)]
    [InlineData("999999999999999999999999999999999999", 65535, 0)]
    [InlineData("+5", 5, 0)]
    [InlineData("-1", 65535, 0)]
    [InlineData("-4", 65532, 0)]
    [InlineData("-65534", 2, 0)]
    [InlineData("-65535", 1, 0)]
    [InlineData("-65536", 0, 0)]
    [InlineData("-65537", 65535, 0)]
    [InlineData("28a", -1, 0)]
    [InlineData("28 ", -1, 0)]
    [InlineData("a28", -1, 0)]
    public void getaddrinfo_ServiceTableRow_RecordedPortOrWSATYPE_NOT_FOUND(string service, int port, int socktype)
    {
        if (port > 0 && !service.Any(char.IsAsciiDigit))
            Skip.If(getservbyname(service, null) is null, $"the services database here has no {service}");
        WSASetLastError(unchecked((int)0xdeadbeef));
        int rc = getaddrinfo(null, service, V4, out var result);
        if (port < 0)
        {
            Assert.Equal(WSATYPE_NOT_FOUND, rc);
            Assert.Equal(WSATYPE_NOT_FOUND, WSAGetLastError());
            Assert.Null(result);
            return;
        }
        Assert.Equal(0, rc);
        Assert.Equal(0, WSAGetLastError());
        Assert.NotNull(result);
        Assert.Equal(0, result.ai_flags);
        Assert.Equal(socktype, result.ai_socktype);
        Assert.Equal(0, result.ai_protocol);
        Assert.Null(result.ai_canonname);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), EndPoint(result));
        Assert.Null(result.ai_next);
    }

    // Mirrors ReactOS getaddrinfo.c (parameters): no node, no service, no hints is WSAHOST_NOT_FOUND in the result and
    // the last error, the list pointer set to null; GetAddrInfoW the same.
    [Fact]
    public void getaddrinfo_NoNodeNoService_WSAHOST_NOT_FOUNDInResultAndLastError()
    {
        Assert.Equal(WSAHOST_NOT_FOUND, getaddrinfo(null, null, null, out var result));
        Assert.Equal(WSAHOST_NOT_FOUND, WSAGetLastError());
        Assert.Null(result);
        Assert.Equal(WSAHOST_NOT_FOUND, GetAddrInfoW(null, null, null, out _));
        Assert.Equal(WSAHOST_NOT_FOUND, WSAGetLastError());
    }

    // Mirrors ReactOS getaddrinfo.c (setup) and bind.c: a successful gethostname leaves the last error 0.
    [Fact]
    public void gethostname_Success_LastErrorZero()
    {
        var buf = new char[256];
        WSASetLastError(WSAEINVAL);
        Assert.Equal(0, gethostname(buf, buf.Length));
        Assert.Equal(0, WSAGetLastError());
    }

    // Mirrors Wine sock.c test_gethostbyname / ReactOS getaddrinfo.c (setup): gethostbyname of the local host name
    // lists IPv4 addresses only, each 4 bytes.
    [Fact]
    public void gethostbyname_LocalHostName_IPv4AddressesOnly()
    {
        var buf = new char[256];
        Assert.Equal(0, gethostname(buf, buf.Length));
        var host = gethostbyname(new string(buf, 0, Array.IndexOf(buf, '\0')));
        Assert.NotNull(host);
        Assert.Equal(AF_INET, host.h_addrtype);
        Assert.Equal(4, host.h_length);
        Assert.NotEmpty(host.h_addr_list);
        Assert.All(host.h_addr_list, a => Assert.Equal(4, a.Length));
    }

    private static string[] Entries(addrinfo? head)
    {
        var list = new List<string>();
        for (var p = head; p is not null; p = p.ai_next) list.Add($"{p.ai_family}/{p.ai_socktype}/{p.ai_protocol}/{EndPoint(p)}");
        return list.ToArray();
    }

    // Mirrors Wine sock.c test_getaddrinfo (the rows that need no DNS): "" succeeds with the last error 0 and gives
    // what the machine's own name gives; an empty service is service "0"; localhost with or without a service or
    // hints succeeds; localhost with AI_NUMERICHOST is WSAHOST_NOT_FOUND with no list; a dotted address is taken as
    // it is (AF_INET, port 0); "a.b.c.d:port" with AI_NUMERICHOST is WSAHOST_NOT_FOUND; an unknown service with no
    // node is WSATYPE_NOT_FOUND.
    [Fact]
    public void getaddrinfo_WineRowsWithoutDns_RecordedResults()
    {
        WSASetLastError(unchecked((int)0xdeadbeef));
        Assert.Equal(0, getaddrinfo("", null, null, out var empty));
        Assert.Equal(0, WSAGetLastError());
        Assert.NotNull(empty);
        Assert.Equal(0, getaddrinfo(System.Net.Dns.GetHostName(), null, null, out var own));
        Assert.Equal(Entries(own), Entries(empty));

        Assert.Equal(0, getaddrinfo(null, "0", null, out var zero));
        Assert.Equal(0, getaddrinfo(null, "", null, out var none));
        Assert.Equal(Entries(zero), Entries(none));
        Assert.Equal(0, getaddrinfo("", "0", null, out zero));
        Assert.Equal(0, getaddrinfo("", "", null, out none));
        Assert.Equal(Entries(zero), Entries(none));

        foreach (var service in new[] { null, "", "0", "80" })
        {
            Assert.Equal(0, getaddrinfo("localhost", service, null, out _));
            WSASetLastError(unchecked((int)0xdeadbeef));
            Assert.Equal(0, getaddrinfo("localhost", service, new addrinfo(), out _));
            Assert.Equal(0, WSAGetLastError());
        }
        Assert.Equal(WSAHOST_NOT_FOUND, getaddrinfo("localhost", "80", new addrinfo { ai_flags = AI_NUMERICHOST }, out var numeric));
        Assert.Equal(WSAHOST_NOT_FOUND, WSAGetLastError());
        Assert.Null(numeric);

        Assert.Equal(0, getaddrinfo("192.168.1.253", null, null, out var dotted));
        Assert.Equal($"{AF_INET}/0/0/192.168.1.253:0", Assert.Single(Entries(dotted)));
        Assert.Equal(WSAHOST_NOT_FOUND, getaddrinfo("192.168.1.253:1024", null, new addrinfo { ai_flags = AI_NUMERICHOST }, out var withPort));
        Assert.Null(withPort);

        Assert.Equal(WSATYPE_NOT_FOUND, getaddrinfo(null, "nonexistentservice", new addrinfo(), out _));
    }

    // Mirrors Wine sock.c test_getaddrinfo (IPv6 conversion): IPv6 text, also in brackets, with AI_NUMERICHOST and
    // AF_INET6, and in brackets followed by a port, is that address; in brackets with AF_INET, or with a bracket
    // missing, WSAHOST_NOT_FOUND.
    [Theory]
    [InlineData("2a00:2039:dead:beef:cafe::6666", AF_UNSPEC, 0, "2a00:2039:dead:beef:cafe::6666")]
    [InlineData("[beef::cafe]", AF_UNSPEC, 0, "beef::cafe")]
    [InlineData("[beef::cafe]", AF_INET6, AI_NUMERICHOST, "beef::cafe")]
    [InlineData("[beef::cafe]", AF_INET, AI_NUMERICHOST, null)]
    [InlineData("[beef::cafe]:10239", AF_UNSPEC, 0, "beef::cafe")]
    [InlineData("[beef::cafe", AF_INET, AI_NUMERICHOST, null)]
    [InlineData("beef::cafe]", AF_INET, AI_NUMERICHOST, null)]
    [InlineData("[beef::cafe", AF_UNSPEC, AI_NUMERICHOST, null)]
    [InlineData("beef::cafe]", AF_UNSPEC, AI_NUMERICHOST, null)]
    public void getaddrinfo_IPv6Text_ConvertedOrWSAHOST_NOT_FOUND(string node, int family, int flags, string? expected)
    {
        int rc = getaddrinfo(node, null, new addrinfo { ai_family = family, ai_flags = flags }, out var result);
        if (expected is null)
        {
            Assert.Equal(WSAHOST_NOT_FOUND, rc);
            Assert.Null(result);
        }
        else
        {
            Assert.Equal(0, rc);
            Assert.Equal($"{AF_INET6}/0/0/{new IPEndPoint(IPAddress.Parse(expected), 0)}", Assert.Single(Entries(result)));
        }
    }

    // Mirrors Wine protocol.c test_getaddrinfo / test_GetAddrInfoW (hinttests): localhost with every family, socket
    // type and protocol hint succeeds, each entry carrying the hints' type and protocol (mismatched pairs and unknown
    // protocols included) and the hinted family; an unknown socket type is WSAESOCKTNOSUPPORT (EAI_SOCKTYPE).
    [Theory]
    [InlineData(AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP, 0)]
    [InlineData(AF_UNSPEC, SOCK_STREAM, IPPROTO_UDP, 0)]
    [InlineData(AF_UNSPEC, SOCK_STREAM, IPPROTO_IPV6, 0)]
    [InlineData(AF_UNSPEC, SOCK_DGRAM, IPPROTO_TCP, 0)]
    [InlineData(AF_UNSPEC, SOCK_DGRAM, IPPROTO_UDP, 0)]
    [InlineData(AF_UNSPEC, SOCK_DGRAM, IPPROTO_IPV6, 0)]
    [InlineData(AF_INET, SOCK_STREAM, IPPROTO_TCP, 0)]
    [InlineData(AF_INET, SOCK_STREAM, IPPROTO_UDP, 0)]
    [InlineData(AF_INET, SOCK_STREAM, IPPROTO_IPV6, 0)]
    [InlineData(AF_INET, SOCK_DGRAM, IPPROTO_TCP, 0)]
    [InlineData(AF_INET, SOCK_DGRAM, IPPROTO_UDP, 0)]
    [InlineData(AF_INET, SOCK_DGRAM, IPPROTO_IPV6, 0)]
    [InlineData(AF_UNSPEC, 0, IPPROTO_TCP, 0)]
    [InlineData(AF_UNSPEC, 0, IPPROTO_UDP, 0)]
    [InlineData(AF_UNSPEC, 0, IPPROTO_IPV6, 0)]
    [InlineData(AF_UNSPEC, SOCK_STREAM, 0, 0)]
    [InlineData(AF_UNSPEC, SOCK_DGRAM, 0, 0)]
    [InlineData(AF_INET, 0, IPPROTO_TCP, 0)]
    [InlineData(AF_INET, 0, IPPROTO_UDP, 0)]
    [InlineData(AF_INET, 0, IPPROTO_IPV6, 0)]
    [InlineData(AF_INET, SOCK_STREAM, 0, 0)]
    [InlineData(AF_INET, SOCK_DGRAM, 0, 0)]
    [InlineData(AF_UNSPEC, 999, IPPROTO_TCP, WSAESOCKTNOSUPPORT)]
    [InlineData(AF_UNSPEC, 999, IPPROTO_UDP, WSAESOCKTNOSUPPORT)]
    [InlineData(AF_UNSPEC, 999, IPPROTO_IPV6, WSAESOCKTNOSUPPORT)]
    [InlineData(AF_INET, 999, IPPROTO_TCP, WSAESOCKTNOSUPPORT)]
    [InlineData(AF_INET, 999, IPPROTO_UDP, WSAESOCKTNOSUPPORT)]
    [InlineData(AF_INET, 999, IPPROTO_IPV6, WSAESOCKTNOSUPPORT)]
    [InlineData(AF_UNSPEC, SOCK_STREAM, 999, 0)]
    [InlineData(AF_INET, SOCK_DGRAM, 999, 0)]
    public void getaddrinfo_LocalhostHintsTableRow_EntriesCarryHintsOrWSAESOCKTNOSUPPORT(int family, int socktype, int protocol, int error)
    {
        var hints = new addrinfo { ai_family = family, ai_socktype = socktype, ai_protocol = protocol };
        Assert.Equal(error, getaddrinfo("localhost", null, hints, out var result));
        Assert.Equal(error, GetAddrInfoW("localhost", null, hints, out var resultW));
        if (error != 0)
        {
            Assert.Equal(error, WSAGetLastError());
            Assert.Null(result);
            return;
        }
        Assert.NotNull(result);
        for (var p = result; p is not null; p = p.ai_next)
        {
            Assert.True(family == AF_UNSPEC ? p.ai_family is AF_INET or AF_INET6 : p.ai_family == family);
            Assert.Equal(socktype, p.ai_socktype);
            Assert.Equal(protocol, p.ai_protocol);
        }
        Assert.Equal(Entries(result), Entries(resultW));
    }
}
