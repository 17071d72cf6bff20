using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Winsock2.Multipoint.Engine;
using static Winsock2.Ws2_32;

namespace Winsock2.Multipoint;

/// <summary>
/// A leaf waiting for roots' invitations (root-initiated joins): a c_leaf socket that is bound and listening; each
/// invitation is accepted with WSAAccept, whose condition function reads the root's caller data and answers with
/// <see cref="MultipointLeafOptions.ConnectData"/>. Each accepted invitation is a new <see cref="MultipointLeaf"/>.
/// </summary>
public sealed class MultipointInvitationListener : IAsyncDisposable
{
    private readonly SOCKET _socket;
    private readonly MultipointLeafOptions _options;
    private readonly EventLoop _loop;
    private readonly Queue<TaskCompletionSource<MultipointLeaf>> _waiting = new();
    private byte[] _invitationData = [];
    private byte[] _calleeData = [];
    private int _disposed;

    private MultipointInvitationListener(SOCKET socket, IPEndPoint local, MultipointLeafOptions options)
    {
        _socket = socket;
        _options = options;
        LocalEndPoint = local;
        _loop = new EventLoop("MultipointInvitationListener " + local, options.Logger ?? NullLogger.Instance);
    }

    /// <summary>The address invitations come to (with the port the system chose when 0 was asked).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Listens for invitations: WSAStartup, WSASocket with the leaf flags, bind, listen, WSAEventSelect(FD_ACCEPT).</summary>
    /// <param name="localEndPoint">Where to listen (port 0: the system chooses).</param>
    /// <param name="options">How to answer invitations and run the leaves; null takes every default.</param>
    /// <param name="cancellationToken">Cancels before the listener is made.</param>
    /// <returns>The listening leaf.</returns>
    /// <exception cref="SocketException">WSAEADDRINUSE when the address is taken, ...</exception>
    public static ValueTask<MultipointInvitationListener> ListenAsync(IPEndPoint localEndPoint, MultipointLeafOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(localEndPoint);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<MultipointInvitationListener>(cancellationToken);
        options ??= new MultipointLeafOptions();
        Calls.ConnectData(options.ConnectData); // checks the size
        var s = Calls.Open(localEndPoint, Calls.LeafFlags);
        try
        {
            Calls.SetTimings(s, options.JoinTimeout, options.HeartbeatInterval);
            var name = SockAddr.From(localEndPoint);
            Calls.Check(bind(s, name, name.Length), $"bind to {localEndPoint}");
            Calls.Check(listen(s, 16), "listen");
            var listener = new MultipointInvitationListener(s, Calls.LocalEndPoint(s) ?? localEndPoint, options);
            int error = listener._loop.Watch(s, FD_ACCEPT, _ => listener.AcceptWaiting());
            if (error != 0) throw Failure.Of(error, "WSAEventSelect");
            listener._loop.Start(listener.AcceptWaiting);
            return ValueTask.FromResult(listener);
        }
        catch
        {
            Calls.Abandon(s);
            throw;
        }
    }

    /// <summary>Waits for the next invitation and accepts it.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The joined leaf.</returns>
    /// <exception cref="ObjectDisposedException">The listener was disposed.</exception>
    public async ValueTask<MultipointLeaf> AcceptAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var waiter = new TaskCompletionSource<MultipointLeaf>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_loop.Post(() => { _waiting.Enqueue(waiter); AcceptWaiting(); })) throw new ObjectDisposedException(nameof(MultipointInvitationListener));
        using var stop = cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
        return await waiter.Task.ConfigureAwait(false);
    }

    /// <summary>Accepts invitations while someone waits for one (loop thread).</summary>
    private void AcceptWaiting()
    {
        while (_waiting.TryPeek(out var waiter))
        {
            if (waiter.Task.IsCompleted) { _waiting.Dequeue(); continue; }
            _invitationData = [];
            _calleeData = [];
            var member = WSAAccept(_socket, Condition, 0);
            if (!member.IsValid)
            {
                int error = WSAGetLastError();
                if (error != WSAEWOULDBLOCK) MultipointLog.CallFailed(_options.Logger ?? NullLogger.Instance, "WSAAccept", WSAErrorText(error));
                return;
            }
            _waiting.Dequeue();
            try
            {
                var leaf = MultipointLeaf.FromInvitation(member, _options, _invitationData, _calleeData);
                if (!waiter.TrySetResult(leaf)) _ = leaf.DisposeAsync().AsTask(); // the waiter gave up meanwhile: leave again
            }
            catch (SocketException e)
            {
                waiter.TrySetException(e);
            }
        }
    }

    private int Condition(WSABUF? lpCallerId, WSABUF? lpCallerData, QOS? lpSQOS, QOS? lpGQOS, WSABUF? lpCalleeId, WSABUF? lpCalleeData, out uint g, nuint dwCallbackData)
    {
        g = 0;
        _invitationData = Calls.Bytes(lpCallerData);
        _calleeData = Calls.WriteCalleeData(lpCalleeData, _options.ConnectData);
        return CF_ACCEPT;
    }

    /// <summary>Stops listening (closesocket; a root inviting now is refused), then WSACleanup. Waiting accepts fail. Safe to call twice.</summary>
    /// <returns>A task that completes when the listener's thread has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _loop.Post(() =>
        {
            _loop.Unwatch(_socket);
            closesocket(_socket);
            while (_waiting.TryDequeue(out var w)) w.TrySetException(new ObjectDisposedException(nameof(MultipointInvitationListener)));
        });
        await _loop.StopAsync().ConfigureAwait(false);
        WSACleanup();
    }
}
