using System.Net;
using System.Net.Sockets;
using Winsock2.Multipoint.Engine;
using static Winsock2.Ws2_32;

namespace Winsock2.Multipoint;

public sealed partial class MultipointLeaf
{
    private TaskCompletionSource? _joining;
    private WSABUF? _calleeOut;
    private bool _joined;
    private bool _asked;

    /// <summary>
    /// Joins the root at <paramref name="root"/> (leaf-initiated): WSAStartup, WSASocket(AF_INET or AF_INET6,
    /// SOCK_SEQPACKET, 0, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF),
    /// WSAEventSelect, then WSAJoinLeaf with the connect data and flowspecs; the join completes with FD_CONNECT.
    /// </summary>
    /// <param name="root">The root's address.</param>
    /// <param name="options">How to join; null takes every default.</param>
    /// <param name="cancellationToken">Withdraws the join (closesocket) and throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The joined leaf; <see cref="CalleeData"/> holds the root's answer.</returns>
    /// <exception cref="SocketException">WSAECONNREFUSED (refused, or nobody listening), WSAETIMEDOUT (no answer within the join timeout), WSAEOPNOTSUPP (flowspec not admitted), ...</exception>
    /// <exception cref="ArgumentException">The connect data is over 4096 bytes or an option is out of range.</exception>
    public static async ValueTask<MultipointLeaf> JoinAsync(IPEndPoint root, MultipointLeafOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        cancellationToken.ThrowIfCancellationRequested();
        options ??= new MultipointLeafOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReceiveQueueCapacity, 1, nameof(options));
        var caller = Calls.ConnectData(options.ConnectData);
        var s = Calls.Open(root, Calls.LeafFlags);
        MultipointLeaf leaf;
        try
        {
            Calls.SetTimings(s, options.JoinTimeout, options.HeartbeatInterval);
            leaf = new MultipointLeaf(s, root, options, invited: false);
            int error = leaf._loop.Watch(s, LeafEvents, leaf.OnEvents);
            if (error != 0) throw Failure.Of(error, "WSAEventSelect");
        }
        catch
        {
            Calls.Abandon(s);
            throw;
        }
        var joining = leaf._joining = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        leaf._asked = options.Qos is not null;
        leaf._loop.Start(leaf.Tick);
        leaf._loop.Post(() => leaf.StartJoin(caller, options.Qos?.Clone(), options.Direction.JoinFlags()));
        try
        {
            await joining.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            MultipointLog.Joined(leaf._log, root);
            return leaf;
        }
        catch
        {
            await leaf.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Waits for one invitation on <paramref name="localEndPoint"/> and accepts it (root-initiated join): a
    /// <see cref="MultipointInvitationListener"/> for one invitation.
    /// </summary>
    /// <param name="localEndPoint">Where to listen for the root's invitation.</param>
    /// <param name="options">How to answer and run; <see cref="MultipointLeafOptions.ConnectData"/> is the callee data. Null takes every default.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The joined leaf; <see cref="InvitationData"/> holds the root's caller data.</returns>
    /// <exception cref="SocketException">WSAEADDRINUSE when the address is taken, ...</exception>
    public static async ValueTask<MultipointLeaf> AcceptInvitationAsync(IPEndPoint localEndPoint, MultipointLeafOptions? options = null, CancellationToken cancellationToken = default)
    {
        var listener = await MultipointInvitationListener.ListenAsync(localEndPoint, options, cancellationToken).ConfigureAwait(false);
        await using (listener.ConfigureAwait(false))
        {
            return await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A socket that accepted an invitation (WSAAccept on a listening c_leaf) becomes a leaf.</summary>
    internal static MultipointLeaf FromInvitation(SOCKET member, MultipointLeafOptions options, byte[] invitationData, byte[] calleeData)
    {
        WSAStartup(0x0202, out _); // the leaf's own reference: its DisposeAsync calls WSACleanup
        var root = Calls.PeerEndPoint(member) ?? new IPEndPoint(IPAddress.None, 0);
        var leaf = new MultipointLeaf(member, root, options, invited: true)
        {
            InvitationData = invitationData,
            CalleeData = calleeData,
            LocalEndPoint = Calls.LocalEndPoint(member),
            Granted = Calls.GrantedQos(member),
            _joined = true,
            _asked = true,
        };
        int error = leaf._loop.Watch(member, LeafEvents, leaf.OnEvents);
        if (error != 0)
        {
            Calls.Abandon(member);
            throw Failure.Of(error, "WSAEventSelect");
        }
        leaf._loop.Start(leaf.Tick);
        leaf._loop.Post(leaf.Joined);
        return leaf;
    }

    private void StartJoin(WSABUF? caller, QOS? qos, uint flags)
    {
        var name = SockAddr.From(Root);
        _calleeOut = new WSABUF(new byte[MP_MAX_CONNECT_DATA]);
        if (!WSAJoinLeaf(_socket, name, name.Length, caller, _calleeOut, qos, null, flags).IsValid)
            _joining?.TrySetException(Failure.Of(WSAGetLastError(), $"join to {Root}"));
    }

    /// <summary>The leaf's network events (loop thread).</summary>
    private void OnEvents(WSANETWORKEVENTS e)
    {
        if ((e.lNetworkEvents & FD_CONNECT) != 0) JoinCompleted(e.iErrorCode[FD_CONNECT_BIT]);
        if ((e.lNetworkEvents & FD_QOS) != 0 && _asked) Granted = Calls.GrantedQos(_socket);
        if ((e.lNetworkEvents & FD_READ) != 0) Receive();
        if ((e.lNetworkEvents & FD_WRITE) != 0) _sends.Writable();
        if ((e.lNetworkEvents & FD_CLOSE) != 0) SessionClosing(e.iErrorCode[FD_CLOSE_BIT]);
    }

    private void JoinCompleted(int error)
    {
        if (_joining is not { } joining || _joined) return;
        if (error != 0)
        {
            joining.TrySetException(Failure.Of(error, $"join to {Root}"));
            return;
        }
        CalleeData = Calls.Bytes(_calleeOut);
        LocalEndPoint = Calls.LocalEndPoint(_socket);
        if (_asked) Granted = Calls.GrantedQos(_socket);
        _joined = true;
        Joined();
        joining.TrySetResult();
    }

    /// <summary>Joined: take what already arrived and what waits to be sent (loop thread).</summary>
    private void Joined()
    {
        Receive();
        _sends.Writable();
    }

    private void Tick()
    {
        if (!_joined) return;
        if (_sends.Blocked) _sends.Writable();
        Receive();
    }
}
