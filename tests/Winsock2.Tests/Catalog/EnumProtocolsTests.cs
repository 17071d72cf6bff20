using Winsock2.Tests.Spi;
using static Winsock2.Ws2_32;
using static Winsock2.Tests.Spi.TestCatalog;

namespace Winsock2.Tests.Catalog;

/// <summary>WSAEnumProtocols / WSCEnumProtocols and the built-in TCP/UDP entries (SPEC §2).</summary>
public class EnumProtocolsTests : WinsockTest
{
    [Fact]
    public void WSAEnumProtocols_NullBuffer_WSAENOBUFS_LengthIsEntriesTimes628()
    {
        uint len = 0;
        WSASetLastError(0);
        Fails(WSAENOBUFS, WSAEnumProtocols(null, null, ref len));
        Assert.True(len > 0);
        Assert.Equal(0u, len % 628);
        var buf = new WSAPROTOCOL_INFOW[len / 628];
        int n = WSAEnumProtocols(null, buf, ref len);
        Assert.Equal(buf.Length, n);
        Assert.Equal((uint)(n * 628), len);
        Assert.All(buf, e => Assert.NotNull(e));
    }

    [Fact]
    public void WSAEnumProtocols_BufferTooSmall_WSAENOBUFS_LengthSetToNeeded()
    {
        int count = ApiEntries().Length;
        uint len = 628;
        var buf = new WSAPROTOCOL_INFOW[1];
        Fails(WSAENOBUFS, WSAEnumProtocols(null, buf, ref len));
        Assert.Equal((uint)(count * 628), len);
    }

    [Fact]
    public void WSAEnumProtocols_EnoughRoom_ReturnsCountAndEntries()
    {
        uint len = 64 * 628;
        var buf = new WSAPROTOCOL_INFOW[64];
        int n = WSAEnumProtocols(null, buf, ref len);
        Assert.True(n >= 4, $"expected at least the four TCP/UDP entries, got {n}");
        var entries = buf[..n];
        Assert.Contains(entries, e => e.iAddressFamily == AF_INET && e.iSocketType == SOCK_STREAM && e.iProtocol == IPPROTO_TCP);
        Assert.Contains(entries, e => e.iAddressFamily == AF_INET && e.iSocketType == SOCK_DGRAM && e.iProtocol == IPPROTO_UDP);
        Assert.Contains(entries, e => e.iAddressFamily == AF_INET6 && e.iSocketType == SOCK_STREAM && e.iProtocol == IPPROTO_TCP);
        Assert.Contains(entries, e => e.iAddressFamily == AF_INET6 && e.iSocketType == SOCK_DGRAM && e.iProtocol == IPPROTO_UDP);
        Assert.Equal(n, entries.Select(e => e.dwCatalogEntryId).Distinct().Count()); // catalog ids are unique
        Assert.All(entries, e => Assert.True(e.ProtocolChain.ChainLen >= BASE_PROTOCOL));
        Assert.All(buf[n..], e => Assert.Null(e)); // nothing written past the count
    }

    [Fact]
    public void WSAEnumProtocols_ProtocolFilter_OnlyThoseProtocols()
    {
        var udp = ApiEntries([IPPROTO_UDP]);
        Assert.NotEmpty(udp);
        Assert.All(udp, e => Assert.Equal(IPPROTO_UDP, e.iProtocol));
        Assert.Contains(udp, e => e.iAddressFamily == AF_INET);
        Assert.Contains(udp, e => e.iAddressFamily == AF_INET6);

        var both = ApiEntries([IPPROTO_TCP, IPPROTO_UDP]);
        Assert.Equal(ApiEntries().Count(e => e.iProtocol is IPPROTO_TCP or IPPROTO_UDP), both.Length);

        uint len = 0;
        Fails(WSAENOBUFS, WSAEnumProtocols([IPPROTO_UDP], null, ref len));
        Assert.Equal((uint)(udp.Length * 628), len);

        // A filter that matches nothing: zero entries, and a zero-size buffer is enough.
        len = 0;
        Assert.Equal(0, WSAEnumProtocols([12345], [], ref len));
    }

    [Fact]
    public void WSAEnumProtocols_LayeredAndHiddenEntries_OnlyInWSCEnumProtocols()
    {
        using var p = Install(typeof(TestProvider),
            Entry(TestAf, SOCK_STREAM, 7, name: "visible"),
            Entry(TestAf, SOCK_STREAM, 8, providerFlags: PFL_HIDDEN, name: "hidden"),
            Entry(TestAf, SOCK_STREAM, 9, chainLen: LAYERED_PROTOCOL, name: "layered"));
        Restart();

        var wsc = WscEntries();
        Assert.Contains(wsc, e => e.dwCatalogEntryId == p[0]);
        Assert.Contains(wsc, e => e.dwCatalogEntryId == p[1] && (e.dwProviderFlags & PFL_HIDDEN) != 0);
        Assert.Contains(wsc, e => e.dwCatalogEntryId == p[2] && e.ProtocolChain.ChainLen == LAYERED_PROTOCOL);

        var api = ApiEntries();
        Assert.Contains(api, e => e.dwCatalogEntryId == p[0]);
        Assert.DoesNotContain(api, e => e.dwCatalogEntryId == p[1]);
        Assert.DoesNotContain(api, e => e.dwCatalogEntryId == p[2]);
        Assert.DoesNotContain(api, e => e.ProtocolChain.ChainLen == LAYERED_PROTOCOL || (e.dwProviderFlags & PFL_HIDDEN) != 0);
        Assert.Equal(wsc.Count(e => e.ProtocolChain.ChainLen != LAYERED_PROTOCOL && (e.dwProviderFlags & PFL_HIDDEN) == 0), api.Length);
    }

    [Fact]
    public void WSCEnumProtocols_BaseEntries_ChainNamesItself()
    {
        using var p = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7));
        var e = p.Entries[0];
        Assert.Equal(BASE_PROTOCOL, e.ProtocolChain.ChainLen);
        Assert.Equal(e.dwCatalogEntryId, e.ProtocolChain.ChainEntries[0]);
        Assert.All(WscEntries().Where(x => x.ProtocolChain.ChainLen == BASE_PROTOCOL),
            x => Assert.Equal(x.dwCatalogEntryId, x.ProtocolChain.ChainEntries[0]));
    }

    [Fact]
    public void WSAEnumProtocols_TcpEntries_NoConnectData()
    {
        var provider = DefaultEntry(AF_INET, SOCK_STREAM, IPPROTO_TCP).ProviderId;
        var tcp = ApiEntries([IPPROTO_TCP]).Where(e => e.ProviderId == provider).ToArray();
        Assert.Equal(2, tcp.Length); // IPv4 and IPv6
        Assert.All(tcp, e =>
        {
            Assert.Equal(SOCK_STREAM, e.iSocketType);
            Assert.Equal(0u, e.dwServiceFlags1 & (XP1_CONNECT_DATA | XP1_DISCONNECT_DATA | XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED));
            Assert.True(e.Has(XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE | XP1_EXPEDITED_DATA));
            Assert.Equal(0u, e.dwMessageSize); // stream
            Assert.NotEqual(0u, e.dwProviderFlags & PFL_MATCHES_PROTOCOL_ZERO);
        });
    }

    [Fact]
    public void WSAEnumProtocols_UdpEntries_NonrootedMultipointAndMessageSize()
    {
        var provider = DefaultEntry(AF_INET, SOCK_DGRAM, IPPROTO_UDP).ProviderId;
        var udp = ApiEntries([IPPROTO_UDP]).Where(e => e.ProviderId == provider).ToArray();
        Assert.Equal(2, udp.Length);
        Assert.All(udp, e =>
        {
            Assert.Equal(SOCK_DGRAM, e.iSocketType);
            Assert.True(e.Has(XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_MULTIPOINT));
            Assert.Equal(0u, e.dwServiceFlags1 & (XP1_MULTIPOINT_CONTROL_PLANE | XP1_MULTIPOINT_DATA_PLANE)); // nonrooted
            Assert.Equal(0u, e.dwServiceFlags1 & XP1_CONNECT_DATA);
        });
        Assert.Equal(65507u, udp.Single(e => e.iAddressFamily == AF_INET).dwMessageSize);
        Assert.Equal(65527u, udp.Single(e => e.iAddressFamily == AF_INET6).dwMessageSize);
    }
}
