using Winsock2.Tests.Spi;
using static Winsock2.Ws2_32;
using static Winsock2.Tests.Spi.TestCatalog;

namespace Winsock2.Tests.Catalog;

/// <summary>WinsockCatalog.Reset (netsh winsock reset): the built-in providers again, with ids never used before.</summary>
public class CatalogResetTests : WinsockTest
{
    public override void Dispose()
    {
        TempCatalog.Remove();
        base.Dispose();
    }

    private static (Guid, string, int, int, int, int)[] Shape(IEnumerable<WSAPROTOCOL_INFOW> entries) =>
        entries.Select(e => (e.ProviderId, e.szProtocol, e.iAddressFamily, e.iSocketType, e.iProtocol, e.ProtocolChain.ChainLen)).ToArray();

    [Fact]
    public void Reset_AfterInstallsAndReorder_RestoresDefaultsWithNewIds()
    {
        TempCatalog.Remove();
        var defaults = WscEntries();
        var p = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7));
        uint[] order = [p[0], .. defaults.Select(e => e.dwCatalogEntryId).Reverse()];
        Assert.Equal(0, WSCWriteProviderOrder(order, (uint)order.Length));
        uint highest = WscEntries().Max(e => e.dwCatalogEntryId);

        Assert.Equal(0, WinsockCatalog.Reset(out int errno));
        Assert.Equal(0, errno);
        var after = WscEntries();
        Assert.Equal(Shape(defaults), Shape(after));
        Assert.All(after, e => Assert.True(e.dwCatalogEntryId > highest, $"id {e.dwCatalogEntryId} reused"));
        Assert.All(after, e => Assert.Equal(e.dwCatalogEntryId, e.ProtocolChain.ChainEntries[0])); // base entries name themselves
        Assert.Equal(0, WSCGetProviderPath(defaults[0].ProviderId, out string path, out _));
        Assert.Equal("Winsock2.Providers.Inet.dll", path);

        Restart();
        Ok(closesocket(Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP))));
        Fails(WSAEAFNOSUPPORT, WSASocket(TestAf, SOCK_STREAM, 7, null, 0, 0));
    }
}
