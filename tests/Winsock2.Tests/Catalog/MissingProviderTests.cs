using Winsock2.Tests.Cli;
using Winsock2.Tests.Spi;
using static Winsock2.Ws2_32;
using static Winsock2.Tests.Spi.TestCatalog;

namespace Winsock2.Tests.Catalog;

/// <summary>An entry whose assembly is gone fails at WSASocket with WSAEPROVIDERFAILEDINIT; the rest of the catalog keeps working.</summary>
public class MissingProviderTests : WinsockTest
{
    [Fact]
    public void WSASocket_AssemblyNeverThere_WSAEPROVIDERFAILEDINIT_OthersWork()
    {
        var gone = Guid.NewGuid();
        var path = Path.Combine(TempCatalog.Directory, "nowhere", "Gone.Provider.dll");
        Assert.Equal(0, WSCInstallProvider(gone, path, [Entry(TestAf, SOCK_STREAM, 7, providerFlags: PFL_MATCHES_PROTOCOL_ZERO)], 1, out int errno));
        try
        {
            using var working = Install(typeof(TestProvider), Entry(TestAf2, SOCK_STREAM, 7, providerFlags: PFL_MATCHES_PROTOCOL_ZERO));
            Restart();
            Fails(WSAEPROVIDERFAILEDINIT, WSASocket(TestAf, SOCK_STREAM, 0, null, 0, 0));
            Fails(WSAEPROVIDERFAILEDINIT, WSASocket(TestAf, SOCK_STREAM, 7, null, 0, 0)); // every time, not only the first
            Ok(closesocket(Check(WSASocket(TestAf2, SOCK_STREAM, 0, null, 0, 0))));
            Ok(closesocket(Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP))));
            Ok(closesocket(Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP))));
            Assert.Contains(ApiEntries(), e => e.ProviderId == gone); // still listed: the catalog itself is fine
        }
        finally { Assert.Equal(0, WSCDeinstallProvider(gone, out errno)); }
    }

    [Fact]
    public void WSASocket_InstalledAssemblyDeleted_WSAEPROVIDERFAILEDINIT_OthersWork()
    {
        var dir = Path.Combine(TempCatalog.Directory, "copy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var copy = Path.Combine(dir, "Winsock2.Providers.Inet.dll");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Winsock2.Providers.Inet.dll"), copy);
        var id = Guid.NewGuid();
        var (exit, _, stderr) = Ws2Process.Run("catalog", "install", copy, "--provider-id", id.ToString());
        try
        {
            Assert.True(exit == 0, $"exit {exit}: {stderr}");
            File.Delete(copy);
            Restart();
            var tcp = ApiEntries().Single(e => e.ProviderId == id && e.iAddressFamily == AF_INET && e.iSocketType == SOCK_STREAM);
            Fails(WSAEPROVIDERFAILEDINIT, WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, tcp, 0, 0));
            Ok(closesocket(Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP))));
            Assert.Contains(CatalogPersistenceTests.ChildCatalog(), e => e.GetProperty("providerId").GetGuid() == id);
        }
        finally { WSCDeinstallProvider(id, out _); }
    }
}
