using Winsock2.Tests.Spi;
using static Winsock2.Ws2_32;
using static Winsock2.Tests.Spi.TestCatalog;

namespace Winsock2.Tests.Catalog;

/// <summary>WSCInstallProvider / WSCDeinstallProvider: ids, chain rules, and when API instances see the change (SPEC §2).</summary>
public class InstallProviderTests : WinsockTest
{
    [Fact]
    public void WSCInstallProvider_Entries_GetUniqueCatalogIdsAndTheProviderId()
    {
        var before = WscEntries();
        using var p = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7), Entry(TestAf, SOCK_DGRAM, 8));
        Assert.All(p.Entries, e => Assert.Equal(p.Id, e.ProviderId));
        Assert.NotEqual(p[0], p[1]);
        Assert.All(p.Entries, e => Assert.DoesNotContain(before, b => b.dwCatalogEntryId == e.dwCatalogEntryId));
        Assert.Equal(before.Length + 2, WscEntries().Length);
        // The path is what WSCGetProviderPath (and WPUGetProviderPath) reports.
        Assert.Equal(0, WSCGetProviderPath(p.Id, out string path, out int errno));
        Assert.Equal(0, errno);
        Assert.Equal(TestCatalog.PathOf(typeof(TestProvider)), path);
    }

    [Fact]
    public void WSCInstallProvider_NewEntries_SeenOnlyByApiInstancesStartedAfter()
    {
        TestProvider.Reset();
        var p = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7, providerFlags: PFL_MATCHES_PROTOCOL_ZERO));
        try
        {
            // This API instance started before the install.
            Assert.DoesNotContain(ApiEntries(), e => e.dwCatalogEntryId == p[0]);
            Fails(WSAEAFNOSUPPORT, WSASocket(TestAf, SOCK_STREAM, 7, null, 0, 0));
            Fails(WSAEINVAL, WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, p.Entries[0], 0, 0));
            Assert.Equal(0, TestProvider.Startups);

            Restart();
            Assert.Contains(ApiEntries(), e => e.dwCatalogEntryId == p[0]);
            var s = Check(WSASocket(TestAf, SOCK_STREAM, 0, null, 0, 0));
            Assert.Equal(1, TestProvider.Startups);
            Assert.Equal(p[0], TestProvider.LastStartupInfo!.dwCatalogEntryId); // WSPStartup gets its own entry
            Ok(closesocket(s));
        }
        finally { p.Dispose(); }

        Restart();
        Assert.Equal(1, TestProvider.Cleanups); // one WSPCleanup per WSPStartup, at the last WSACleanup
        Assert.DoesNotContain(ApiEntries(), e => e.dwCatalogEntryId == p[0]);
        Assert.DoesNotContain(WscEntries(), e => e.ProviderId == p.Id);
        Fails(WSAEAFNOSUPPORT, WSASocket(TestAf, SOCK_STREAM, 7, null, 0, 0));
    }

    [Fact]
    public void WSCInstallProvider_ChainNamingUnknownEntry_WSAEINVAL()
    {
        using var layer = Install(typeof(CountingLayer), Entry(AF_INET, SOCK_STREAM, IPPROTO_TCP, chainLen: LAYERED_PROTOCOL));
        var chain = Entry(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        chain.ProtocolChain = new WSAPROTOCOLCHAIN(2, layer[0], 0x7FFFFFF0);
        int count = WscEntries().Length;
        Assert.Equal(SOCKET_ERROR, WSCInstallProvider(Guid.NewGuid(), TestCatalog.PathOf(typeof(CountingLayer)), [chain], 1, out int errno));
        Assert.Equal(WSAEINVAL, errno);
        Assert.Equal(count, WscEntries().Length);
    }

    [Fact]
    public void WSCInstallProvider_ChainHoldingLayerTwice_WSAEINVAL()
    {
        var tcp = DefaultEntry(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        using var layer = Install(typeof(CountingLayer), Entry(AF_INET, SOCK_STREAM, IPPROTO_TCP, chainLen: LAYERED_PROTOCOL));
        var chain = tcp.Clone();
        chain.ProtocolChain = new WSAPROTOCOLCHAIN(3, layer[0], layer[0], tcp.dwCatalogEntryId);
        Assert.Equal(SOCKET_ERROR, WSCInstallProvider(Guid.NewGuid(), TestCatalog.PathOf(typeof(CountingLayer)), [chain], 1, out int errno));
        Assert.Equal(WSAEINVAL, errno);
    }

    [Fact]
    public void WSCInstallProvider_ChainNotEndingInBase_WSAEINVAL()
    {
        using var layer = Install(typeof(CountingLayer),
            Entry(AF_INET, SOCK_STREAM, IPPROTO_TCP, chainLen: LAYERED_PROTOCOL),
            Entry(AF_INET, SOCK_STREAM, IPPROTO_TCP, chainLen: LAYERED_PROTOCOL));
        var chain = Entry(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        chain.ProtocolChain = new WSAPROTOCOLCHAIN(2, layer[0], layer[1]);
        Assert.Equal(SOCKET_ERROR, WSCInstallProvider(Guid.NewGuid(), TestCatalog.PathOf(typeof(CountingLayer)), [chain], 1, out int errno));
        Assert.Equal(WSAEINVAL, errno);
    }

    [Fact]
    public void WSCDeinstallProvider_Unknown_WSAEINVAL()
    {
        Assert.Equal(SOCKET_ERROR, WSCDeinstallProvider(Guid.NewGuid(), out int errno));
        Assert.Equal(WSAEINVAL, errno);

        var p = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7));
        Assert.Equal(0, WSCDeinstallProvider(p.Id, out errno));
        Assert.Equal(0, errno);
        Assert.Equal(SOCKET_ERROR, WSCDeinstallProvider(p.Id, out errno)); // only once
        Assert.Equal(WSAEINVAL, errno);
    }
}
