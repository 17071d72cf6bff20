using System.Collections.Concurrent;
using Winsock2.Tests.Cli;
using Winsock2.Tests.Spi;
using static Winsock2.Ws2_32;
using static Winsock2.Tests.Spi.TestCatalog;

namespace Winsock2.Tests.Catalog;

/// <summary>A catalog file that cannot be used: the built-in defaults, one clear error, never a crash; a reset repairs it.</summary>
public class CorruptCatalogTests : WinsockTest
{
    private readonly ConcurrentQueue<string> _reports = new();
    private readonly Action<string, Exception> _onFailure;

    public CorruptCatalogTests()
    {
        TempCatalog.Remove();
        _onFailure = (where, e) => { if (where == "protocol catalog") _reports.Enqueue(e.Message); };
        Kernel.Diagnostics.Failure += _onFailure;
    }

    public override void Dispose()
    {
        Kernel.Diagnostics.Failure -= _onFailure;
        TempCatalog.Remove();
        base.Dispose();
    }

    private static (Guid, string, uint)[] Keys(IEnumerable<WSAPROTOCOL_INFOW> entries) =>
        entries.Select(e => (e.ProviderId, e.szProtocol, e.dwCatalogEntryId)).ToArray();

    public static TheoryData<string, string> Corruptions => new()
    {
        { "is corrupt", "this is not JSON {" },
        { "is not known", """{"version": 99, "nextCatalogEntryId": 1002, "entries": []}""" },
        { "no format version", """{"nextCatalogEntryId": 1002, "entries": []}""" },
        { "no entries", """{"version": 1, "nextCatalogEntryId": 1002}""" },
        { "repeated", """{"version": 1, "nextCatalogEntryId": 2000, "entries": [{"path": "a.dll", "protocolInfo": {"dwCatalogEntryId": 1001, "ProtocolChain": {"ChainLen": 1, "ChainEntries": [1001,0,0,0,0,0,0]}}}, {"path": "a.dll", "protocolInfo": {"dwCatalogEntryId": 1001, "ProtocolChain": {"ChainLen": 1, "ChainEntries": [1001,0,0,0,0,0,0]}}}]}""" },
        { "not installed", """{"version": 1, "nextCatalogEntryId": 2000, "entries": [{"path": "a.dll", "protocolInfo": {"dwCatalogEntryId": 1001, "ProtocolChain": {"ChainLen": 2, "ChainEntries": [1500,1600,0,0,0,0,0]}}}]}""" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void WSCEnumProtocols_CorruptFile_DefaultsAndOneError(string expected, string content)
    {
        var defaults = Keys(WscEntries());
        File.WriteAllText(TempCatalog.FilePath, content);

        for (int i = 0; i < 3; i++) Assert.Equal(defaults, Keys(WscEntries()));
        var error = WinsockCatalog.LoadError;
        Assert.NotNull(error);
        Assert.Contains(TempCatalog.FilePath, error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(_reports); // reported once, however often it is read

        // Applications keep working on the defaults.
        Restart();
        Assert.Equal(defaults.Length, WscEntries().Length);
        var s = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Ok(closesocket(s));

        // Changes are refused rather than written over what cannot be read; the file is left as it was.
        Assert.Equal(SOCKET_ERROR, WSCInstallProvider(Guid.NewGuid(), PathOf(typeof(TestProvider)), [Entry(TestAf, SOCK_STREAM, 7)], 1, out int errno));
        Assert.Equal(WSANO_RECOVERY, errno);
        var ids = WscEntries().Select(e => e.dwCatalogEntryId).ToArray();
        Assert.Equal(WSANO_RECOVERY, WSCWriteProviderOrder(ids, (uint)ids.Length));
        Assert.Equal(content, File.ReadAllText(TempCatalog.FilePath));
        Assert.Single(_reports);
    }

    [Fact]
    public void Reset_CorruptFile_RewritesTheDefaults()
    {
        var defaults = WscEntries().Select(e => (e.ProviderId, e.szProtocol)).ToArray();
        File.WriteAllText(TempCatalog.FilePath, """{"version": 2}""");
        Assert.NotNull(WinsockCatalog.LoadError);

        Assert.Equal(0, WinsockCatalog.Reset(out int errno));
        Assert.Equal(0, errno);
        Assert.Null(WinsockCatalog.LoadError);
        Assert.Equal(defaults, WscEntries().Select(e => (e.ProviderId, e.szProtocol)));
        using var p = Install(typeof(TestProvider), Entry(TestAf, SOCK_STREAM, 7)); // changes work again
    }

    [Fact]
    public void Ws2Catalog_CorruptFile_OneWarningAndTheDefaults()
    {
        int defaults = WscEntries().Length;
        File.WriteAllText(TempCatalog.FilePath, "\0\0garbage");

        var (exit, lines, stderr) = Ws2Process.Run("catalog", "--json");
        Assert.Equal(0, exit);
        Assert.Equal(defaults, lines.Count);
        var warning = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"ws2: warning: the protocol catalog {TempCatalog.FilePath} is corrupt", warning);

        (exit, _, stderr) = Ws2Process.Run("catalog", "install", "Winsock2.Providers.Inet.dll", "--provider-id", Guid.NewGuid().ToString());
        Assert.Equal(1, exit);
        Assert.Contains("WSANO_RECOVERY 11003", stderr);

        (exit, lines, stderr) = Ws2Process.Run("catalog", "reset", "--json");
        Assert.True(exit == 0, stderr);
        Assert.Contains("\"event\":\"reset\"", Assert.Single(lines));
        Assert.Null(WinsockCatalog.LoadError);
        Assert.Equal(defaults, WscEntries().Length);
    }
}
