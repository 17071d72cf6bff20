using System.Text;
using System.Text.RegularExpressions;
using Winsock2.Providers.Tracing;
using static Winsock2.Ws2_32;
using static Winsock2.Tests.Spi.TestCatalog;

namespace Winsock2.Tests.Tracing;

/// <summary>
/// Installs the tracing layer in-process as an installer would: its one layered entry (from its own
/// <see cref="IWSPProviderSetup"/>, by plain assembly path), then chains [layer, base] over the Inet TCP and UDP entries
/// and the rooted multipoint entry. WS2_TRACE_FILE names a fresh temp file before the layer starts. Everything is
/// removed on Dispose.
/// </summary>
public abstract class TracingTest : WinsockTest
{
    /// <summary>A call: <c>ws2trace pid=P tid=T WSPxxx(args) = result [N µs]</c> (or an extension function, AcceptEx(args) ...).</summary>
    private static readonly Regex CallShape = new(@"^ws2trace pid=\d+ tid=\d+ (WSP\w+|AcceptEx|GetAcceptExSockaddrs|ConnectEx|DisconnectEx|TransmitFile|WSARecvMsg|WSASendMsg|RIOCreateRequestQueue)\(.*\) = .* \[\d+ µs\]$", RegexOptions.CultureInvariant);

    /// <summary>Something that happened outside a call (a completion routine, a posted message): no duration.</summary>
    private static readonly Regex EventShape = new(@"^ws2trace pid=\d+ tid=\d+ (WSP\w+ completion|WPUPostMessage)\(.*$", RegexOptions.CultureInvariant);

    private readonly string? _previousTraceFile;
    private readonly List<SOCKET> _sockets = new();
    private readonly Guid _chainsId = Guid.NewGuid();
    private bool _layerInstalled, _chainsInstalled;

    protected readonly string TraceFile;
    protected readonly uint LayerEntryId;
    protected readonly WSAPROTOCOL_INFOW TcpBase, UdpBase, RootedBase;
    protected WSAPROTOCOL_INFOW TcpChain = null!, UdpChain = null!, RootedChain = null!;

    protected const uint RootFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
    protected const uint LeafFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;

    protected TracingTest()
    {
        TraceFile = Path.Combine(Path.GetTempPath(), $"ws2trace-{Guid.NewGuid():N}.log");
        _previousTraceFile = Environment.GetEnvironmentVariable(TraceLog.EnvironmentVariable);
        Environment.SetEnvironmentVariable(TraceLog.EnvironmentVariable, TraceFile);

        TcpBase = DefaultEntry(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        UdpBase = DefaultEntry(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        RootedBase = WscEntries().First(e => e.iProtocol == IPPROTO_RM_TCP && e.iAddressFamily == AF_INET && e.ProtocolChain.ChainLen == BASE_PROTOCOL);

        // What `ws2 catalog install PATH` does: the layered entry comes from the provider's own setup description ...
        var setup = (IWSPProviderSetup)new TracingProvider();
        var path = typeof(TracingProvider).Assembly.Location;
        var infos = setup.GetProtocolInfos();
        Assert.Equal(0, WSCInstallProvider(setup.ProviderId, path, infos, (uint)infos.Length, out int errno));
        _layerInstalled = true;
        LayerEntryId = WscEntries().Single(e => e.ProviderId == setup.ProviderId).dwCatalogEntryId;

        // ... and `--over` builds one chain per base entry (the installer's WSCInstallProviderAndChains).
        var chains = new[] { TcpBase, UdpBase, RootedBase }.Select(Chain).ToArray();
        Assert.True(WSCInstallProvider(_chainsId, path, chains, (uint)chains.Length, out errno) == 0, $"chains: {errno}");
        _chainsInstalled = true;
        Restart();

        var api = ApiEntries();
        WSAPROTOCOL_INFOW Over(WSAPROTOCOL_INFOW b) =>
            api.Single(e => e.ProviderId == _chainsId && e.ProtocolChain.ChainEntries[1] == b.dwCatalogEntryId);
        TcpChain = Over(TcpBase);
        UdpChain = Over(UdpBase);
        RootedChain = Over(RootedBase);
    }

    private WSAPROTOCOL_INFOW Chain(WSAPROTOCOL_INFOW b)
    {
        var c = b.Clone();
        c.ProtocolChain = new WSAPROTOCOLCHAIN(2, LayerEntryId, b.dwCatalogEntryId);
        c.dwProviderFlags &= ~PFL_MATCHES_PROTOCOL_ZERO;
        c.szProtocol = $"{TracingProvider.LayerName} over [{b.szProtocol}]";
        return c;
    }

    /// <summary>A socket of a chain entry (through the layer), closed on Dispose.</summary>
    protected SOCKET Layered(WSAPROTOCOL_INFOW chain, uint flags = WSA_FLAG_OVERLAPPED) =>
        Track(Check(WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, chain, 0, flags)));

    /// <summary>A plain socket of the base provider, closed on Dispose.</summary>
    protected SOCKET Plain(int af, int type, int protocol, uint flags = WSA_FLAG_OVERLAPPED) =>
        Track(Check(WSASocket(af, type, protocol, null, 0, flags)));

    protected SOCKET Track(SOCKET s)
    {
        _sockets.Add(s);
        return s;
    }

    /// <summary>This process's trace lines so far (the file may be shared with other processes).</summary>
    protected string[] TraceLines()
    {
        if (!File.Exists(TraceFile)) return [];
        using var f = new FileStream(TraceFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var r = new StreamReader(f, Encoding.UTF8);
        var mine = $"ws2trace pid={Environment.ProcessId} ";
        return r.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith(mine, StringComparison.Ordinal)).ToArray();
    }

    /// <summary>
    /// The one trace line that contains every fragment (fails with the whole trace otherwise). Lines written on another
    /// thread — a window message the reactor posts, a completion — may land just after the effect the test saw, so the
    /// trace is read again until the line is there (bounded: 20 s).
    /// </summary>
    protected string Line(params string[] fragments)
    {
        var deadline = Environment.TickCount64 + 20_000;
        string[] lines, hit;
        while (true)
        {
            lines = TraceLines();
            hit = lines.Where(l => fragments.All(f => l.Contains(f, StringComparison.Ordinal))).ToArray();
            if (hit.Length > 0 || Environment.TickCount64 > deadline) break;
            Thread.Sleep(5);
        }
        Assert.True(hit.Length > 0, $"no trace line with [{string.Join(" | ", fragments)}] in:\n{string.Join("\n", lines)}");
        Assert.True(CallShape.IsMatch(hit[^1]) || EventShape.IsMatch(hit[^1]), $"malformed trace line: {hit[^1]}");
        return hit[^1];
    }

    protected static string Hex(SOCKET s) => s.ToString();

    protected static void Unblock(SOCKET s)
    {
        uint on = 1;
        Ok(ioctlsocket(s, FIONBIO, ref on), "FIONBIO");
    }

    /// <summary>Receives until <paramref name="expected"/> bytes arrived (a stream may split them).</summary>
    protected static string RecvAll(SOCKET s, int expected)
    {
        var all = new List<byte>();
        var chunk = new byte[256];
        while (all.Count < expected)
        {
            int got = recv(s, chunk, chunk.Length, 0);
            Assert.True(got > 0, $"recv returned {got}, error {WSAGetLastError()}");
            all.AddRange(chunk.AsSpan(0, got).ToArray());
        }
        return Encoding.UTF8.GetString(all.ToArray());
    }

    public override void Dispose()
    {
        foreach (var s in _sockets) closesocket(s);
        if (_chainsInstalled) WSCDeinstallProvider(_chainsId, out _);
        if (_layerInstalled) WSCDeinstallProvider(TracingProvider.Id, out _);
        base.Dispose();
        Environment.SetEnvironmentVariable(TraceLog.EnvironmentVariable, _previousTraceFile);
        try { File.Delete(TraceFile); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
