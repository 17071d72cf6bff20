using Winsock2.Tests.Spi;
using static Winsock2.Ws2_32;
using static Winsock2.Tests.Spi.TestCatalog;

namespace Winsock2.Tests.Catalog;

/// <summary>Which catalog entry WSASocket uses (SPEC §2 "Provider choice") and its error precedence.</summary>
public class ProviderSelectionTests : WinsockTest
{
    private static WSAPROTOCOL_INFOW InfoOf(SOCKET s)
    {
        Assert.Equal(0, getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, out WSAPROTOCOL_INFOW? info));
        return info!;
    }

    [Fact]
    public void WSASocket_NoEntryForFamily_WSAEAFNOSUPPORT()
    {
        Fails(WSAEAFNOSUPPORT, WSASocket(99, SOCK_STREAM, IPPROTO_TCP, null, 0, 0));
        Fails(WSAEAFNOSUPPORT, WSASocket(99, 0, 0, null, 0, 0));
        Fails(WSAEAFNOSUPPORT, WSASocket(99, SOCK_STREAM, 99, null, 0, 0)); // the family is judged before the protocol
    }

    [Fact]
    public void WSASocket_NoEntryForType_WSAESOCKTNOSUPPORT()
    {
        Fails(WSAESOCKTNOSUPPORT, WSASocket(AF_INET, 99, 0, null, 0, 0));
        Fails(WSAESOCKTNOSUPPORT, WSASocket(AF_INET, 99, IPPROTO_TCP, null, 0, 0));
        Fails(WSAESOCKTNOSUPPORT, WSASocket(AF_INET, SOCK_RAW, IPPROTO_UDP, null, 0, 0));
        Fails(WSAESOCKTNOSUPPORT, WSASocket(AF_INET6, 99, 99, null, 0, 0)); // the type is judged before the protocol
    }

    [Fact]
    public void WSASocket_NoEntryForProtocol_WSAEPROTONOSUPPORT()
    {
        Fails(WSAEPROTONOSUPPORT, WSASocket(AF_INET, SOCK_STREAM, IPPROTO_UDP, null, 0, 0));
        Fails(WSAEPROTONOSUPPORT, WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_TCP, null, 0, 0));
        Fails(WSAEPROTONOSUPPORT, WSASocket(AF_INET6, SOCK_STREAM, 99, null, 0, 0));
    }

    [Fact]
    public void WSASocket_Wildcards_FirstMatchingEntry()
    {
        var tcp = DefaultEntry(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        var udp = DefaultEntry(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        var udp6 = DefaultEntry(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
        // protocol 0 matches the PFL_MATCHES_PROTOCOL_ZERO entries.
        Assert.Equal(tcp.dwCatalogEntryId, DefaultEntry(AF_INET, SOCK_STREAM, 0).dwCatalogEntryId);
        Assert.Equal(udp.dwCatalogEntryId, DefaultEntry(AF_INET, SOCK_DGRAM, 0).dwCatalogEntryId);
        Assert.Equal(udp6.dwCatalogEntryId, DefaultEntry(AF_INET6, SOCK_DGRAM, 0).dwCatalogEntryId);
        // type 0: the first entry of the family with that protocol.
        Assert.Equal(udp.dwCatalogEntryId, DefaultEntry(AF_INET, 0, IPPROTO_UDP).dwCatalogEntryId);
        Assert.Equal(udp6.dwCatalogEntryId, DefaultEntry(AF_INET6, 0, IPPROTO_UDP).dwCatalogEntryId);
        // af 0 (AF_UNSPEC): the first entry in catalog order with that type and protocol.
        var first = ApiEntries().First(e => e.iSocketType == SOCK_DGRAM && e.iProtocol == IPPROTO_UDP);
        Assert.Equal(first.dwCatalogEntryId, DefaultEntry(AF_UNSPEC, SOCK_DGRAM, IPPROTO_UDP).dwCatalogEntryId);
    }

    [Fact]
    public void WSASocket_TestProviderEntries_WildcardsMaxOffsetAndProtocolZero()
    {
        TestProvider.Reset();
        using var p = Install(typeof(TestProvider),
            Entry(TestAf, SOCK_RAW, 100, maxOffset: 10, name: "raw 100..110"),
            Entry(TestAf, SOCK_DGRAM, 50, providerFlags: PFL_MATCHES_PROTOCOL_ZERO, name: "dgram 50, protocol 0"),
            Entry(TestAf, SOCK_SEQPACKET, 60, name: "seqpacket 60"));
        Restart();

        SOCKET Make(int af, int type, int protocol) => Check(WSASocket(af, type, protocol, null, 0, 0));

        // iProtocol..iProtocol+iProtocolMaxOffset, and the protocol asked for reaches the provider.
        foreach (int proto in new[] { 100, 105, 110 })
        {
            var s = Make(TestAf, SOCK_RAW, proto);
            Assert.Equal(p[0], InfoOf(s).dwCatalogEntryId);
            Assert.Equal(proto, TestProvider.LastSocket!.Protocol);
            Ok(closesocket(s));
        }
        Fails(WSAEPROTONOSUPPORT, WSASocket(TestAf, SOCK_RAW, 99, null, 0, 0));
        Fails(WSAEPROTONOSUPPORT, WSASocket(TestAf, SOCK_RAW, 111, null, 0, 0));
        // Protocol 0 only matches entries with PFL_MATCHES_PROTOCOL_ZERO.
        Fails(WSAEPROTONOSUPPORT, WSASocket(TestAf, SOCK_RAW, 0, null, 0, 0));
        Fails(WSAEPROTONOSUPPORT, WSASocket(TestAf, SOCK_SEQPACKET, 0, null, 0, 0));
        var d = Make(TestAf, SOCK_DGRAM, 0);
        Assert.Equal(p[1], InfoOf(d).dwCatalogEntryId);
        Ok(closesocket(d));
        // Type 0 and af 0 are wildcards.
        var t = Make(TestAf, 0, 107);
        Assert.Equal(p[0], InfoOf(t).dwCatalogEntryId);
        Ok(closesocket(t));
        var a = Make(AF_UNSPEC, SOCK_SEQPACKET, 60);
        Assert.Equal(p[2], InfoOf(a).dwCatalogEntryId);
        Ok(closesocket(a));
        var z = Make(TestAf, 0, 0); // only the protocol-zero entry matches
        Assert.Equal(p[1], InfoOf(z).dwCatalogEntryId);
        Ok(closesocket(z));
        // Precedence inside the test family: the type is judged before the protocol.
        Fails(WSAESOCKTNOSUPPORT, WSASocket(TestAf, SOCK_STREAM, 100, null, 0, 0));
    }

    [Fact]
    public void WSASocket_ProtocolInfo_PicksThatEntry()
    {
        TestProvider.Reset();
        // Two entries for the same triple: matching picks the first, lpProtocolInfo picks the one named.
        using var p = Install(typeof(TestProvider),
            Entry(TestAf, SOCK_STREAM, 7, name: "first"),
            Entry(TestAf, SOCK_STREAM, 7, name: "second"));
        Restart();
        var second = ApiEntries().Single(e => e.dwCatalogEntryId == p[1]);

        var m = Check(WSASocket(TestAf, SOCK_STREAM, 7, null, 0, 0));
        Assert.Equal(p[0], InfoOf(m).dwCatalogEntryId);
        Ok(closesocket(m));

        var s = Check(WSASocket(TestAf, SOCK_STREAM, 7, second, 0, 0));
        var info = InfoOf(s);
        Assert.Equal(p[1], info.dwCatalogEntryId);
        Assert.Equal("second", info.szProtocol);
        Assert.Equal(p[1], TestProvider.LastSocket!.Info.dwCatalogEntryId);
        Ok(closesocket(s));
    }

    [Fact]
    public void WSASocket_FromProtocolInfo_TakesTheTripleFromTheEntry()
    {
        var udp6 = ApiEntries([IPPROTO_UDP]).First(e => e.iAddressFamily == AF_INET6);
        var s = Check(WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, udp6, 0, WSA_FLAG_OVERLAPPED));
        var info = InfoOf(s);
        Assert.Equal(udp6.dwCatalogEntryId, info.dwCatalogEntryId);
        Assert.Equal(AF_INET6, info.iAddressFamily);
        Assert.Equal(SOCK_DGRAM, info.iSocketType);
        Assert.Equal(0, getsockopt(s, SOL_SOCKET, SO_TYPE, out int type));
        Assert.Equal(SOCK_DGRAM, type);
        // It really is an IPv6 UDP socket.
        var addr = Loopback6();
        Ok(bind(s, addr, addr.Length));
        Ok(closesocket(s));

        TestProvider.Reset();
        using var p = Install(typeof(TestProvider), Entry(TestAf, SOCK_DGRAM, 42, maxOffset: 3));
        Restart();
        var e = ApiEntries().Single(x => x.dwCatalogEntryId == p[0]);
        var t = Check(WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, e, 0, 0));
        Assert.Equal((TestAf, SOCK_DGRAM, 42), (TestProvider.LastSocket!.Af, TestProvider.LastSocket.Type, TestProvider.LastSocket.Protocol));
        Ok(closesocket(t));
        // Only the FROM_PROTOCOL_INFO members are taken from the entry.
        var u = Check(WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, 44, e, 0, 0));
        Assert.Equal(44, TestProvider.LastSocket!.Protocol);
        Ok(closesocket(u));
    }

    [Fact]
    public void WSASocket_ProtocolInfoNotInCatalog_WSAEINVAL()
    {
        var bogus = DefaultEntry(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        bogus.dwCatalogEntryId = 0x7FFFFFF0;
        Fails(WSAEINVAL, WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, bogus, 0, 0));
    }
}
