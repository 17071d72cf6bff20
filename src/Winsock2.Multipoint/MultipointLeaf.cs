using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Winsock2.Multipoint.Engine;
using static Winsock2.Ws2_32;

namespace Winsock2.Multipoint;

/// <summary>
/// A leaf of a rooted multipoint session (c_leaf | d_leaf), built on the Winsock 2 API: it joins a root itself
/// (<see cref="JoinAsync"/>: WSAJoinLeaf with caller data and flowspecs) or takes a root's invitation
/// (<see cref="AcceptInvitationAsync"/>: listen and WSAAccept). It receives the root's fan-out and sends to the
/// root only. One background thread runs its Winsock calls (WSAEventSelect, WSAWaitForMultipleEvents). Failures are
/// <see cref="SocketException"/>s whose <see cref="SocketException.SocketErrorCode"/> is the Winsock error. Disposing
/// leaves gracefully: the root sees FD_CLOSE with error 0.
/// </summary>
public sealed partial class MultipointLeaf : IAsyncDisposable
{
    private const int LeafEvents = FD_CONNECT | FD_READ | FD_WRITE | FD_CLOSE | FD_QOS;

    private readonly SOCKET _socket;
    private readonly ILogger _log;
    private readonly EventLoop _loop;
    private readonly SendQueue _sends;
    private readonly TaskCompletionSource<MultipointCloseReason> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private MultipointLeaf(SOCKET socket, IPEndPoint root, MultipointLeafOptions options, bool invited)
    {
        _socket = socket;
        _log = options.Logger ?? NullLogger.Instance;
        Root = root;
        Direction = options.Direction;
        Invited = invited;
        _loop = new EventLoop("MultipointLeaf " + root, _log);
        _sends = new SendQueue(_loop, socket, "leaf");
        _received = new ReceiveQueue<byte[]>(_loop, options.ReceiveQueueCapacity, ReceiveOne, ReceiveFailed);
    }

    /// <summary>The root's address.</summary>
    public IPEndPoint Root { get; }

    /// <summary>The leaf's own address (known once joined).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>The directions the leaf uses.</summary>
    public MultipointDirection Direction { get; }

    /// <summary>True when the leaf joined by accepting the root's invitation.</summary>
    public bool Invited { get; }

    /// <summary>
    /// The callee data of the join: what the root's condition function answered (lpCalleeData), or, for an invited
    /// leaf, what this leaf answered the root with. Empty when none.
    /// </summary>
    public ReadOnlyMemory<byte> CalleeData { get; private set; }

    /// <summary>For an invited leaf, the caller data the root invited it with; empty otherwise.</summary>
    public ReadOnlyMemory<byte> InvitationData { get; private set; }

    /// <summary>The flowspecs granted (SIO_GET_QOS; refreshed on FD_QOS), or null without QoS. The sending flowspec is enforced on <see cref="SendAsync"/>.</summary>
    public QOS? Granted { get; private set; }

    /// <summary>Completes when the session ends, with why: the root ended it or dropped this leaf (0), the connection broke (the error), or this leaf left.</summary>
    public Task<MultipointCloseReason> Closed => _closed.Task;

    /// <summary>
    /// Leaves the session: closesocket on the leaf (the root sees FD_CLOSE with error 0), then WSACleanup. Waiting
    /// sends fail with WSAESHUTDOWN; <see cref="Closed"/> completes with <see cref="MultipointCloseReason.Local"/> set
    /// unless the session had already ended. Safe to call twice.
    /// </summary>
    /// <returns>A task that completes when the leaf's thread has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _loop.Post(() =>
        {
            _loop.Unwatch(_socket);
            closesocket(_socket);
            _joining?.TrySetException(new ObjectDisposedException(nameof(MultipointLeaf)));
            End(0, local: true);
        });
        await _loop.StopAsync().ConfigureAwait(false);
        WSACleanup();
    }

    /// <summary>The session ended (loop thread): sends fail, receives drain then end, <see cref="Closed"/> completes.</summary>
    private void End(int error, bool local)
    {
        if (_closed.Task.IsCompleted) return;
        _sends.End(local ? WSAESHUTDOWN : error == 0 ? WSAEDISCON : error);
        _received.Complete(local ? new ObjectDisposedException(nameof(MultipointLeaf)) : Failure.Of(error == 0 ? WSAEDISCON : error, "receive"));
        MultipointLog.Closed(_log, Root, WSAErrorText(error));
        _closed.TrySetResult(new MultipointCloseReason(error, local));
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
