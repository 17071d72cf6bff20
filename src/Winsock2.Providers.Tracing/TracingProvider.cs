using System.Diagnostics;
using static Winsock2.Ws2Spi;
using static Winsock2.Providers.Tracing.TraceFormat;

[assembly: Winsock2.WSPProviderEntry(typeof(Winsock2.Providers.Tracing.TracingProvider))]

namespace Winsock2.Providers.Tracing;

/// <summary>
/// A layered service provider that traces every WSP call ("strace for Winsock"): one line per call with its arguments,
/// result, error name and duration, written to the file <c>WS2_TRACE_FILE</c> names, or to stderr. It is the worked
/// example for provider authors: it finds itself in its protocol chain, loads and starts the next provider, hands it an
/// upcall table of its own, gives the application handles of its own and forwards every call with the next provider's
/// handle. It never changes a result and never throws into the caller. See docs/tracing.md.
/// </summary>
public sealed partial class TracingProvider : IWSPProvider, IWSPProviderSetup, WSPPROC_TABLE
{
    /// <summary>The provider id the layered entry is installed under.</summary>
    public static readonly Guid Id = new("7c1f3e52-9a4d-4b6e-8f20-3d5a1b7c9e84");

    /// <summary>The layered entry's protocol name.</summary>
    public const string LayerName = "Winsock2.NET Tracing Layer";

    private WSPUPCALLTABLE _upcalls = null!;
    private UpcallProxy _proxy = null!;
    private WSAPROTOCOL_INFOW _chainInfo = null!;
    private WSAPROTOCOL_INFOW _nextInfo = null!;
    private WSPPROC_TABLE _next = null!;
    private TraceLog _log = null!;
    private readonly LayerSockets _sockets = new();

    /// <inheritdoc />
    public Guid ProviderId => Id;

    /// <summary>
    /// One layered entry (ChainLen = LAYERED_PROTOCOL): it describes the layer, not a protocol, so applications never
    /// see it. The installer builds a chain entry [layer, base] for every base entry the layer is to cover.
    /// </summary>
    public WSAPROTOCOL_INFOW[] GetProtocolInfos() =>
    [
        new WSAPROTOCOL_INFOW
        {
            dwServiceFlags1 = 0,
            ProviderId = Id,
            ProtocolChain = new WSAPROTOCOLCHAIN(LAYERED_PROTOCOL),
            iVersion = 2,
            iAddressFamily = AF_UNSPEC,
            iNetworkByteOrder = BIGENDIAN,
            szProtocol = LayerName,
        },
    ];

    /// <summary>
    /// Starts the layer for one chain entry: finds the layer's own entry in the chain, loads the next provider by the
    /// path the catalog stores for it (WPUGetProviderPath + ProviderModule.Create, Windows' LoadLibrary +
    /// GetProcAddress), and starts it with the base entry's own WSAPROTOCOL_INFOW when it is the base, or with the
    /// unchanged chain entry when it is another layer.
    /// </summary>
    public int WSPStartup(ushort wVersionRequested, out WSPDATA lpWSPData, WSAPROTOCOL_INFOW lpProtocolInfo,
        WSPUPCALLTABLE UpcallTable, out WSPPROC_TABLE? lpProcTable)
    {
        long t0 = Stopwatch.GetTimestamp();
        lpWSPData = new WSPDATA { wVersion = 0x0202, wHighVersion = 0x0202, szDescription = LayerName };
        lpProcTable = null;
        _log = TraceLog.Open();
        string detail = "";
        int rc;
        try
        {
            rc = Start(wVersionRequested, lpProtocolInfo, UpcallTable, ref lpWSPData, out detail);
        }
        catch (Exception e)
        {
            rc = WSAEPROVIDERFAILEDINIT;
            detail = $" ({e.GetType().Name}: {e.Message})";
        }
        _log.Call(t0, $"WSPStartup(version={wVersionRequested & 0xFF}.{wVersionRequested >> 8}, {Chain(lpProtocolInfo)}) = "
            + $"{ErrorNames.Status(rc)}{detail}");
        if (rc != 0)
        {
            _log.Dispose();
            return rc;
        }
        lpProcTable = this;
        return 0;
    }

    private int Start(ushort version, WSAPROTOCOL_INFOW info, WSPUPCALLTABLE upcalls, ref WSPDATA data, out string detail)
    {
        detail = "";
        if ((version & 0xFF) < 2) return WSAVERNOTSUPPORTED;
        if (info is null || upcalls is null) return WSAEINVALIDPROVIDER;
        var catalog = Catalog();
        var chain = info.ProtocolChain;
        int len = Math.Clamp(chain.ChainLen, 0, MAX_PROTOCOL_CHAIN);
        // Where am I? The chain lists catalog ids, top first. The layer's own (layered) entry is the one with its
        // provider id; a layer installed under another id is found at the top, where the API layer starts it.
        int at = -1;
        for (int i = 0; i < len && at < 0; i++)
        {
            var e = Array.Find(catalog, c => c.dwCatalogEntryId == chain.ChainEntries[i]);
            if (e is { ProtocolChain.ChainLen: LAYERED_PROTOCOL } && e.ProviderId == Id) at = i;
        }
        if (at < 0 && len > 1 && Array.Find(catalog, c => c.dwCatalogEntryId == chain.ChainEntries[0]) is { ProtocolChain.ChainLen: LAYERED_PROTOCOL })
            at = 0;
        if (at < 0 || at + 1 >= len) return WSAEINVALIDPROVIDER;
        uint nextId = chain.ChainEntries[at + 1];
        var nextEntry = Array.Find(catalog, e => e.dwCatalogEntryId == nextId);
        if (nextEntry is null) return WSAEINVALIDPROVIDER;
        bool nextIsBase = at + 1 == len - 1;
        if (upcalls.WPUGetProviderPath(nextEntry.ProviderId, out string path, out int errno) != 0) return errno;
        if (ProviderModule.Create(path, out string? reason) is not { } next)
        {
            detail = $" ({reason})";
            return WSAEPROVIDERFAILEDINIT;
        }
        var nextInfo = nextIsBase ? nextEntry : info;
        // The next provider gets the layer's upcall table: it forwards everything to the API layer's, translating the
        // handle in WSAAsyncSelect messages (UpcallProxy).
        var proxy = new UpcallProxy(upcalls, _sockets, _log);
        int rc = next.WSPStartup(0x0202, out var nextData, nextInfo, proxy, out var table);
        if (rc != 0) return rc;
        if (table is null) return WSAEINVALIDPROCTABLE;
        _upcalls = upcalls;
        _proxy = proxy;
        _chainInfo = info.Clone();
        _nextInfo = nextInfo.Clone();
        _next = table;
        data = new WSPDATA { wVersion = nextData.wVersion, wHighVersion = nextData.wHighVersion, szDescription = $"{LayerName} over {nextData.szDescription}" };
        detail = $" next={nextId} \"{path}\" log={_log.Target}";
        return 0;
    }

    private static WSAPROTOCOL_INFOW[] Catalog()
    {
        uint len = 0;
        WSCEnumProtocols(null, null, ref len, out _);
        var buf = new WSAPROTOCOL_INFOW[len / WSAPROTOCOL_INFOW.Size];
        int n = WSCEnumProtocols(null, buf, ref len, out _);
        return n < 0 ? [] : buf[..n];
    }

    /// <summary>Ends the next provider's WSPStartup, then this one's.</summary>
    public int WSPCleanup(out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int rc = _next.WSPCleanup(out lpErrno);
        _log.Call(t0, $"WSPCleanup() {Rc(rc, lpErrno)}");
        _log.Dispose();
        return rc;
    }

    // ---- handles ----

    /// <summary>The next provider's handle behind one of the layer's (WSAENOTSOCK if it is not the layer's).</summary>
    private bool Lower(SOCKET s, out SOCKET lower, out int errno)
    {
        lower = INVALID_SOCKET;
        if (_upcalls.WPUQuerySocketHandleContext(s, out var ctx, out errno) != 0 || ctx is not LayerSocket ls)
        {
            errno = WSAENOTSOCK;
            return false;
        }
        errno = 0;
        lower = ls.Lower;
        return true;
    }

    /// <summary>
    /// Gives the application a handle of the layer's own for a new socket of the next provider (from WSPSocket,
    /// WSPAccept or a root's WSPJoinLeaf), made under the chain entry's catalog id so the API layer dispatches it here.
    /// </summary>
    private SOCKET Wrap(SOCKET lower, out int errno)
    {
        var h = _upcalls.WPUCreateSocketHandle(_chainInfo.dwCatalogEntryId, new LayerSocket(lower), out errno);
        if (h.IsValid)
        {
            _sockets.Add(lower, h, _upcalls, _proxy.TraceReleased);
            return h;
        }
        _next.WSPCloseSocket(lower, out _);
        _sockets.Remove(lower);
        return h;
    }

    private static int Error(int code, out int errno)
    {
        errno = code;
        return SOCKET_ERROR;
    }
}
