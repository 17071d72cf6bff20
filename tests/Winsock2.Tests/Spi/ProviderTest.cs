using static Winsock2.Ws2_32;
using static Winsock2.Tests.Spi.TestCatalog;

namespace Winsock2.Tests.Spi;

/// <summary>A test with one test provider installed and started in a fresh API instance; removed on Dispose.</summary>
public abstract class ProviderTest<TProvider> : WinsockTest where TProvider : TestProvider
{
    protected readonly Installed Provider;

    protected ProviderTest()
    {
        TestProvider.Reset();
        Provider = Install(typeof(TProvider), Entry(TestAf2, SOCK_STREAM, 7, providerFlags: PFL_MATCHES_PROTOCOL_ZERO));
        Restart();
    }

    /// <summary>The entry's catalog id.</summary>
    protected uint EntryId => Provider[0];

    /// <summary>A socket of the test provider (its WSPStartup runs on the first one).</summary>
    protected static SOCKET TestSocket() => Check(WSASocket(TestAf2, SOCK_STREAM, 7, null, 0, 0));

    public override void Dispose()
    {
        Provider.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
