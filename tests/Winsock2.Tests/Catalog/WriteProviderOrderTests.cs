using Winsock2.Tests.Cli;
using Winsock2.Tests.Spi;
using static Winsock2.Ws2_32;
using static Winsock2.Tests.Spi.TestCatalog;

namespace Winsock2.Tests.Catalog;

/// <summary>WSCWriteProviderOrder (sporder.h): a permutation of every catalog id, persisted; anything else WSAEINVAL.</summary>
public class WriteProviderOrderTests : WinsockTest
{
    private static uint[] Ids() => WscEntries().Select(e => e.dwCatalogEntryId).ToArray();

    /// <summary>The catalog order with <paramref name="moved"/> put just before <paramref name="before"/>.</summary>
    private static uint[] MovedBefore(uint moved, uint before)
    {
        var ids = Ids().Where(id => id != moved).ToList();
        ids.Insert(ids.IndexOf(before), moved);
        return ids.ToArray();
    }

    [Fact]
    public void WSCWriteProviderOrder_Permutation_ChangesWhichEntryWSASocketPicks()
    {
        using var a = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7, name: "first"));
        using var b = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7, name: "second"));
        Restart();
        TestProvider.Reset();
        Ok(closesocket(Check(WSASocket(TestAf, SOCK_STREAM, 7, null, 0, 0))));
        Assert.Equal(a[0], TestProvider.LastStartupInfo!.dwCatalogEntryId);

        var order = MovedBefore(b[0], a[0]);
        Assert.Equal(0, WSCWriteProviderOrder(order, (uint)order.Length));
        Assert.Equal(order, Ids());

        Restart();
        TestProvider.Reset();
        var api = ApiEntries().Select(e => e.dwCatalogEntryId).ToArray();
        Assert.Equal(order.Where(api.Contains), api); // WSAEnumProtocols lists in the new order too
        Ok(closesocket(Check(WSASocket(TestAf, SOCK_STREAM, 7, null, 0, 0))));
        Assert.Equal(b[0], TestProvider.LastStartupInfo!.dwCatalogEntryId);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("duplicate")]
    [InlineData("unknown")]
    [InlineData("extra")]
    [InlineData("count")]
    public void WSCWriteProviderOrder_NotAPermutation_WSAEINVAL(string how)
    {
        using var p = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7));
        var ids = Ids();
        var bad = how switch
        {
            "missing" => ids[1..],
            "duplicate" => [ids[0], .. ids[..^1]],
            "unknown" => [0x7FFFFFF0, .. ids[1..]],
            "extra" => [.. ids, 0x7FFFFFF0],
            _ => ids,
        };
        uint count = how == "count" ? (uint)ids.Length - 1 : (uint)bad.Length;
        Assert.Equal(WSAEINVAL, WSCWriteProviderOrder(bad, count));
        Assert.Equal(ids, Ids()); // nothing changed
    }

    [Fact]
    public void WSCWriteProviderOrder_NullOrCountBeyondArray_WSAEINVAL()
    {
        var ids = Ids();
        Assert.Equal(WSAEINVAL, WSCWriteProviderOrder(null!, 0));
        Assert.Equal(WSAEINVAL, WSCWriteProviderOrder(ids, (uint)ids.Length + 1));
        Assert.Equal(ids, Ids());
    }

    [Fact]
    public void Ws2CatalogOrder_GivenIdsFirst_OthersKeepTheirOrder()
    {
        using var p = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7), Entry(TestAf, SOCK_DGRAM, 8));
        var before = Ids();
        var (exit, lines, stderr) = Ws2Process.Run("catalog", "order", p[1].ToString(), p[0].ToString(), "--json");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        uint[] expected = [p[1], p[0], .. before.Where(id => id != p[0] && id != p[1])];
        Assert.Equal(expected, Ids());
        Assert.Contains("\"event\":\"order\"", Assert.Single(lines));

        (exit, _, stderr) = Ws2Process.Run("catalog", "order", "4000000000");
        Assert.Equal(1, exit);
        Assert.Contains("WSAEINVAL 10022", stderr);
        Assert.Equal(expected, Ids());
    }
}
