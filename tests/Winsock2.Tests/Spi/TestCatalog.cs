using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Spi;

/// <summary>Installs test providers and reads the catalog back; every install is undone by Dispose.</summary>
public static class TestCatalog
{
    /// <summary>Address families no real provider uses, one per purpose, so installed entries never shadow built-in ones.</summary>
    public const int TestAf = 0x7E50, TestAf2 = 0x7E51, TestAf3 = 0x7E52;

    /// <summary>A catalog entry for a test provider (ChainLen 1 unless said otherwise).</summary>
    public static WSAPROTOCOL_INFOW Entry(int af, int type, int protocol, uint serviceFlags = 0, uint providerFlags = 0,
        int maxOffset = 0, int chainLen = BASE_PROTOCOL, string name = "test entry") => new()
    {
        dwServiceFlags1 = serviceFlags,
        dwProviderFlags = providerFlags,
        ProtocolChain = new WSAPROTOCOLCHAIN(chainLen),
        iVersion = 2,
        iAddressFamily = af,
        iMaxSockAddr = 16,
        iMinSockAddr = 16,
        iSocketType = type,
        iProtocol = protocol,
        iProtocolMaxOffset = maxOffset,
        iNetworkByteOrder = BIGENDIAN,
        dwMessageSize = type == SOCK_STREAM ? 0u : 0xFFFFFFFFu,
        szProtocol = name,
    };

    /// <summary>An installed provider: its id and its entries (with the catalog ids assigned), removed on Dispose.</summary>
    public sealed class Installed(Guid id, WSAPROTOCOL_INFOW[] entries) : IDisposable
    {
        public Guid Id { get; } = id;
        public WSAPROTOCOL_INFOW[] Entries { get; } = entries;
        public uint this[int i] => Entries[i].dwCatalogEntryId;
        public void Dispose() => WSCDeinstallProvider(Id, out _);
    }

    /// <summary>The catalog path of a provider type of this test assembly: the assembly file and the type's name.</summary>
    public static string PathOf(Type provider) => provider.Assembly.Location + "!" + provider.FullName;

    /// <summary>WSCInstallProvider with a fresh GUID (or <paramref name="id"/>), asserting success.</summary>
    public static Installed Install(Type provider, WSAPROTOCOL_INFOW[] entries, Guid? id = null)
    {
        var guid = id ?? Guid.NewGuid();
        int rc = WSCInstallProvider(guid, PathOf(provider), entries, (uint)entries.Length, out int errno);
        Assert.True(rc == 0, $"WSCInstallProvider failed with {errno}");
        var installed = WscEntries().Where(e => e.ProviderId == guid).ToArray();
        Assert.Equal(entries.Length, installed.Length);
        return new Installed(guid, installed);
    }

    public static Installed Install(Type provider, params WSAPROTOCOL_INFOW[] entries) => Install(provider, entries, null);

    /// <summary>Every entry, as WSCEnumProtocols returns them.</summary>
    public static WSAPROTOCOL_INFOW[] WscEntries(int[]? protocols = null)
    {
        uint len = 0;
        Assert.Equal(SOCKET_ERROR, WSCEnumProtocols(protocols, null, ref len, out int errno));
        Assert.Equal(WSAENOBUFS, errno);
        var buf = new WSAPROTOCOL_INFOW[len / WSAPROTOCOL_INFOW.Size];
        int n = WSCEnumProtocols(protocols, buf, ref len, out errno);
        Assert.True(n >= 0, $"WSCEnumProtocols failed with {errno}");
        return buf[..n];
    }

    /// <summary>What applications see, as WSAEnumProtocols returns it.</summary>
    public static WSAPROTOCOL_INFOW[] ApiEntries(int[]? protocols = null)
    {
        uint len = 0;
        Assert.Equal(SOCKET_ERROR, WSAEnumProtocols(protocols, null, ref len));
        Assert.Equal(WSAENOBUFS, WSAGetLastError());
        var buf = new WSAPROTOCOL_INFOW[len / WSAPROTOCOL_INFOW.Size];
        int n = WSAEnumProtocols(protocols, buf, ref len);
        Assert.True(n >= 0, $"WSAEnumProtocols failed with {WSAGetLastError()}");
        return buf[..n];
    }

    /// <summary>
    /// Ends the API instance (the test holds its only WSAStartup) and starts a new one, which takes a new
    /// snapshot of the catalog.
    /// </summary>
    public static void Restart()
    {
        Assert.Equal(0, WSACleanup());
        Assert.False(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP).IsValid, "a WSAStartup is still outstanding");
        Assert.Equal(WSANOTINITIALISED, WSAGetLastError());
        Assert.Equal(0, WSAStartup(0x0202, out _));
    }

    /// <summary>The catalog entry a plain socket of this kind is created on (read back with SO_PROTOCOL_INFOW).</summary>
    public static WSAPROTOCOL_INFOW DefaultEntry(int af, int type, int protocol)
    {
        var s = WSASocket(af, type, protocol, null, 0, WSA_FLAG_OVERLAPPED);
        Assert.True(s.IsValid, $"WSASocket failed with {WSAGetLastError()}");
        try
        {
            Assert.Equal(0, getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, out WSAPROTOCOL_INFOW? info));
            return info!;
        }
        finally { closesocket(s); }
    }
}
