using System.Text.Json;
using Winsock2.Tests.Cli;
using Winsock2.Tests.Spi;
using static Winsock2.Ws2_32;
using static Winsock2.Tests.Spi.TestCatalog;

namespace Winsock2.Tests.Catalog;

/// <summary>WSCInstallProviderAndChains, and WSCDeinstallProvider refusing a provider an installed chain still uses.</summary>
public class InstallProviderAndChainsTests : WinsockTest
{
    private static int IndexOf(WSAPROTOCOL_INFOW[] all, uint id) => Array.FindIndex(all, e => e.dwCatalogEntryId == id);

    [Fact]
    public void WSCInstallProviderAndChains_OverTcp_ChainFirstAndWSASocketUsesIt()
    {
        CountingLayer.Reset();
        var tcp = DefaultEntry(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        Assert.Equal(0, WSCInstallProviderAndChains(CountingLayer.LayerId, PathOf(typeof(CountingLayer)), "Counting LSP", 0, [tcp], 1,
            out uint layeredId, out int errno));
        try
        {
            Assert.Equal(0, errno);
            var all = WscEntries();
            var layered = all.Single(e => e.dwCatalogEntryId == layeredId);
            Assert.Equal(LAYERED_PROTOCOL, layered.ProtocolChain.ChainLen);
            Assert.Equal("Counting LSP", layered.szProtocol);
            Assert.Equal(CountingLayer.LayerId, layered.ProviderId);
            var chain = all.Single(e => e.ProviderId == CountingLayer.LayerId && e.ProtocolChain.ChainLen == 2);
            Assert.Equal(new[] { layeredId, tcp.dwCatalogEntryId }, chain.ProtocolChain.ChainEntries[..2]);
            Assert.Equal($"Counting LSP over [{tcp.szProtocol}]", chain.szProtocol);
            Assert.True(IndexOf(all, chain.dwCatalogEntryId) < IndexOf(all, tcp.dwCatalogEntryId), "the chain is not before its base");

            Restart();
            Ok(closesocket(Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)))); // found first, without WSCWriteProviderOrder
            Assert.Equal(1, CountingLayer.Sockets);
        }
        finally { Assert.Equal(0, WSCDeinstallProvider(CountingLayer.LayerId, out _)); } // the layer and its chains together

        Restart();
        Assert.DoesNotContain(WscEntries(), e => e.ProviderId == CountingLayer.LayerId);
        Ok(closesocket(Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP))));
        Assert.Equal(1, CountingLayer.Sockets);
    }

    [Fact]
    public void WSCInstallProviderAndChains_ByTriple_ChainOverEveryMatchingBase()
    {
        using var bases = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7, name: "b1"), Entry(TestAf, SOCK_DGRAM, 8, name: "dgram"),
            Entry(TestAf, SOCK_STREAM, 7, name: "b2"));
        var id = Guid.NewGuid();
        Assert.Equal(0, WSCInstallProviderAndChains(id, PathOf(typeof(CountingLayer)), "L", 0, [Entry(TestAf, SOCK_STREAM, 7)], 1,
            out uint layeredId, out _));
        try
        {
            var all = WscEntries();
            var chains = all.Where(e => e.ProviderId == id && e.ProtocolChain.ChainLen == 2).ToArray();
            Assert.Equal(new[] { bases[0], bases[2] }, chains.Select(c => c.ProtocolChain.ChainEntries[1]));
            Assert.All(chains, c => Assert.Equal(layeredId, c.ProtocolChain.ChainEntries[0]));
            Assert.All(chains, c => Assert.True(IndexOf(all, c.dwCatalogEntryId) < IndexOf(all, bases[0])));
        }
        finally { Assert.Equal(0, WSCDeinstallProvider(id, out _)); }
    }

    [Fact]
    public void WSCInstallProviderAndChains_CoversNothing_WSAEINVAL()
    {
        int count = WscEntries().Length;
        Assert.Equal(SOCKET_ERROR, WSCInstallProviderAndChains(Guid.NewGuid(), PathOf(typeof(CountingLayer)), "L", 0,
            [Entry(TestAf3, SOCK_RAW, 99)], 1, out _, out int errno));
        Assert.Equal(WSAEINVAL, errno);
        var unknown = Entry(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        unknown.dwCatalogEntryId = 0x7FFFFFF0;
        Assert.Equal(SOCKET_ERROR, WSCInstallProviderAndChains(Guid.NewGuid(), PathOf(typeof(CountingLayer)), "L", 0, [unknown], 1, out _, out errno));
        Assert.Equal(WSAEINVAL, errno);
        Assert.Equal(SOCKET_ERROR, WSCInstallProviderAndChains(Guid.NewGuid(), PathOf(typeof(CountingLayer)), "L", 0, [], 0, out _, out errno));
        Assert.Equal(WSAEFAULT, errno);
        Assert.Equal(count, WscEntries().Length);
    }

    [Fact]
    public void WSCDeinstallProvider_BaseUsedByChain_WSAEINVAL()
    {
        var baseProvider = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7));
        var layer = Guid.NewGuid();
        Assert.Equal(0, WSCInstallProviderAndChains(layer, PathOf(typeof(CountingLayer)), "L", 0, baseProvider.Entries, 1, out _, out _));
        try
        {
            Assert.Equal(SOCKET_ERROR, WSCDeinstallProvider(baseProvider.Id, out int errno));
            Assert.Equal(WSAEINVAL, errno);
            Assert.Contains(WscEntries(), e => e.ProviderId == baseProvider.Id);
        }
        finally { Assert.Equal(0, WSCDeinstallProvider(layer, out _)); }
        Assert.Equal(0, WSCDeinstallProvider(baseProvider.Id, out _)); // no chain uses it any more
    }

    [Fact]
    public void WSCDeinstallProvider_LayerUsedByAnotherProvidersChain_WSAEINVAL()
    {
        using var layer = Install(typeof(CountingLayer), Entry(TestAf, SOCK_STREAM, 7, chainLen: LAYERED_PROTOCOL));
        using var bases = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7));
        var chain = Entry(TestAf, SOCK_STREAM, 7);
        chain.ProtocolChain = new WSAPROTOCOLCHAIN(2, layer[0], bases[0]);
        var chains = Install(typeof(CountingLayer), chain);
        Assert.Equal(SOCKET_ERROR, WSCDeinstallProvider(layer.Id, out int errno));
        Assert.Equal(WSAEINVAL, errno);
        chains.Dispose();
        Assert.Equal(0, WSCDeinstallProvider(layer.Id, out _));
    }

    [Fact]
    public void Ws2CatalogInstall_LayeredProvider_ChainsOverTheGivenBase()
    {
        var tcp = DefaultEntry(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        var (exit, lines, stderr) = Ws2Process.Run("catalog", "install", $"Winsock2.Tests.dll!{typeof(SetupLayer).FullName}",
            "--over", tcp.dwCatalogEntryId.ToString(), "--json");
        try
        {
            Assert.True(exit == 0, $"exit {exit}: {stderr}");
            var events = lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
            Assert.Equal(2, events.Length); // the chain and the layered entry
            var all = WscEntries();
            var chain = all.Single(e => e.ProviderId == CountingLayer.LayerId && e.ProtocolChain.ChainLen == 2);
            Assert.Equal(tcp.dwCatalogEntryId, chain.ProtocolChain.ChainEntries[1]);
            Assert.Equal($"{SetupLayer.Name} over [{tcp.szProtocol}]", chain.szProtocol);
            Assert.True(IndexOf(all, chain.dwCatalogEntryId) < IndexOf(all, tcp.dwCatalogEntryId));

            (exit, _, stderr) = Ws2Process.Run("catalog", "remove", tcp.dwCatalogEntryId.ToString());
            Assert.Equal(1, exit);
            Assert.Contains($"chain {chain.dwCatalogEntryId} still uses it", stderr);
            Assert.Contains("WSAEINVAL 10022", stderr);

            (exit, lines, stderr) = Ws2Process.Run("catalog", "remove", CountingLayer.LayerId.ToString(), "--json");
            Assert.True(exit == 0, $"exit {exit}: {stderr}");
            Assert.Contains("\"event\":\"removed\"", Assert.Single(lines));
            Assert.DoesNotContain(WscEntries(), e => e.ProviderId == CountingLayer.LayerId);
        }
        finally { WSCDeinstallProvider(CountingLayer.LayerId, out _); }
    }
}
