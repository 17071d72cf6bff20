using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Winsock2.Multipoint.Engine;
using static Winsock2.Ws2_32;

namespace Winsock2.Multipoint;

/// <summary>
/// The root of a rooted multipoint session (c_root | d_root), built on the Winsock 2 API: WSASocket with the root
/// flags, bind, listen, WSAAccept with a condition function for leaf-initiated joins, WSAJoinLeaf for invitations,
/// send to fan out to every leaf, WSARecvFrom for the leaves' messages, and FD_CLOSE on each leaf's socket for
/// departures. One background thread runs every Winsock call of the root (WSAEventSelect, WSAWaitForMultipleEvents).
/// Failures are <see cref="SocketException"/>s whose <see cref="SocketException.SocketErrorCode"/> is the Winsock error.
/// Disposing ends the session gracefully: every leaf sees FD_CLOSE with error 0 after the data already sent.
/// </summary>
public sealed partial class MultipointRoot : IAsyncDisposable
{
    private const int RootEvents = FD_ACCEPT | FD_READ | FD_WRITE | FD_CONNECT;

    private readonly SOCKET _socket;
    private readonly MultipointRootOptions _options;
    private readonly ILogger _log;
    private readonly EventLoop _loop;
    private readonly SendQueue _sends;
    private readonly ReceiveQueue<LeafMessage> _received;
    private readonly Channel<MultipointLeafInfo> _joined = Channel.CreateUnbounded<MultipointLeafInfo>();
    private readonly Channel<LeafLeft> _left = Channel.CreateUnbounded<LeafLeft>();
    private readonly ConcurrentDictionary<SOCKET, MultipointLeafInfo> _leaves = new();
    private int _disposed;

    private MultipointRoot(SOCKET socket, IPEndPoint local, MultipointRootOptions options, int maxMessage)
    {
        _socket = socket;
        _options = options;
        _log = options.Logger ?? NullLogger.Instance;
        LocalEndPoint = local;
        _loop = new EventLoop("MultipointRoot " + local, _log);
        _sends = new SendQueue(_loop, socket, "root");
        _buffer = new byte[maxMessage];
        _received = new ReceiveQueue<LeafMessage>(_loop, options.ReceiveQueueCapacity, ReceiveOne, ReceiveFailed);
    }

    /// <summary>The address the root listens on (with the port the system chose when 0 was asked).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The leaves in the session now.</summary>
    public IReadOnlyCollection<MultipointLeafInfo> Leaves => _leaves.Values.OrderBy(l => l.Id).ToArray();

    /// <summary>
    /// Each leaf as it joins (admitted by WSAAccept, or accepting an invitation), until the root is disposed.
    /// One stream: joins wait in it until read; use WithCancellation to stop reading.
    /// </summary>
    public IAsyncEnumerable<MultipointLeafInfo> LeafJoined => _joined.Reader.ReadAllAsync();

    /// <summary>Each leaf as it leaves (FD_CLOSE on the root's socket for it), until the root is disposed. One stream, as <see cref="LeafJoined"/>.</summary>
    public IAsyncEnumerable<LeafLeft> LeafLeft => _left.Reader.ReadAllAsync();

    /// <summary>
    /// Opens a root listening on <paramref name="localEndPoint"/>: WSAStartup, WSASocket(AF_INET or AF_INET6,
    /// SOCK_SEQPACKET, 0, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT), the
    /// SOL_MULTIPOINT options, bind, listen, WSAEventSelect.
    /// </summary>
    /// <param name="localEndPoint">Where to listen (port 0: the system chooses; see <see cref="LocalEndPoint"/>).</param>
    /// <param name="options">How the session runs; null takes every default.</param>
    /// <param name="cancellationToken">Cancels before the root is made (listening itself completes at once).</param>
    /// <returns>The listening root.</returns>
    /// <exception cref="SocketException">Winsock refused, e.g. WSAEADDRINUSE when the port is taken.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static ValueTask<MultipointRoot> ListenAsync(IPEndPoint localEndPoint, MultipointRootOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(localEndPoint);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<MultipointRoot>(cancellationToken);
        options ??= new MultipointRootOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReceiveQueueCapacity, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Backlog, 1, nameof(options));
        var s = Calls.Open(localEndPoint, Calls.RootFlags);
        try
        {
            Calls.SetTimings(s, options.JoinTimeout, options.HeartbeatInterval);
            if (options.AdmissionCapacity is { } capacity)
                Calls.Check(setsockopt(s, SOL_MULTIPOINT, MP_ADMISSION_CAPACITY, (int)Math.Min(capacity, int.MaxValue)), "setsockopt(MP_ADMISSION_CAPACITY)");
            if (options.EvictSlowLeaves) Calls.Check(setsockopt(s, SOL_MULTIPOINT, MP_SLOW_LEAF_POLICY, MP_POLICY_EVICT), "setsockopt(MP_SLOW_LEAF_POLICY)");
            var name = SockAddr.From(localEndPoint);
            Calls.Check(bind(s, name, name.Length), $"bind to {localEndPoint}");
            Calls.Check(listen(s, options.Backlog), "listen");
            Calls.Check(getsockopt(s, SOL_SOCKET, SO_MAX_MSG_SIZE, out int maxMessage), "getsockopt(SO_MAX_MSG_SIZE)");
            var root = new MultipointRoot(s, Calls.LocalEndPoint(s) ?? localEndPoint, options, maxMessage);
            int error = root._loop.Watch(s, RootEvents, root.OnRootEvents);
            if (error != 0) throw Failure.Of(error, "WSAEventSelect");
            root._loop.Start(root.Tick);
            MultipointLog.Listening(root._log, root.LocalEndPoint);
            return ValueTask.FromResult(root);
        }
        catch
        {
            Calls.Abandon(s);
            throw;
        }
    }

    /// <summary>The root socket's network events (loop thread).</summary>
    private void OnRootEvents(WSANETWORKEVENTS e)
    {
        if ((e.lNetworkEvents & FD_ACCEPT) != 0) AcceptJoins();
        if ((e.lNetworkEvents & FD_CONNECT) != 0) InviteCompleted(e.iErrorCode[FD_CONNECT_BIT]);
        if ((e.lNetworkEvents & FD_READ) != 0) _received.Drain();
        if ((e.lNetworkEvents & FD_WRITE) != 0) _sends.Writable();
    }

    /// <summary>Every tick: retries what waits for an event that may have been missed (loop thread).</summary>
    private void Tick()
    {
        if (_sends.Blocked) _sends.Writable();
        _received.Drain();
    }

    /// <summary>
    /// Ends the session: closesocket on the root (every leaf gets FD_CLOSE with error 0 after the data already
    /// queued) and on each leaf's socket, then WSACleanup. Waiting sends fail with WSAESHUTDOWN. Safe to call twice.
    /// </summary>
    /// <returns>A task that completes when the root's thread has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _loop.Post(Shutdown);
        await _loop.StopAsync().ConfigureAwait(false);
        WSACleanup();
    }

    private void Shutdown()
    {
        _loop.Unwatch(_socket);
        closesocket(_socket);
        foreach (var (handle, _) in _leaves)
        {
            _loop.Unwatch(handle);
            closesocket(handle);
            MultipointTelemetry.Leaves.Add(-1);
        }
        _leaves.Clear();
        FailInvite(WSAECONNABORTED);
        _sends.End(WSAESHUTDOWN);
        _received.Complete(new ObjectDisposedException(nameof(MultipointRoot)));
        _joined.Writer.TryComplete();
        _left.Writer.TryComplete();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
