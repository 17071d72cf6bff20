using System.Net;
using System.Net.Sockets;
using Winsock2.Interop;
using Winsock2.Providers.Rooted.Wire;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// The c_root|d_root socket: listens for leaf-initiated joins, invites leaves (root-initiated joins, one at a
/// time), fans its sends out to every receiving leaf from one shared stream, and receives every leaf's data.
/// Closing it (or shutdown) ends the session: every leaf, local handle and remote member, gets FD_CLOSE.
/// This part: state, listening, accepting leaf-initiated joins, leaves leaving, ending the session; the
/// invitations are in RootSocket.Invite.cs, the fan-out of sends in RootSocket.FanOut.cs.
/// </summary>
internal sealed partial class RootSocket : RootedSocket, IConnectionOwner, IReadyHandler, IFlushable
{
    private readonly List<LeafHandle> _leaves = new();
    private readonly LinkedList<Connection> _pending = new();   // join requests waiting for accept
    private readonly List<Connection> _handshaking = new();     // accepted TCP, no request yet
    private readonly List<Connection> _draining = new();        // closing gracefully: still writing their share of the stream
    private Socket? _os;
    private ulong _listenerId;
    private bool _listening;
    private int _scheduled;
    private long _minPosition;
    private ulong _reserved;

    public RootSocket(RootedProvider provider, WSAPROTOCOL_INFOW info, uint flags)
        : base(provider, info, flags, new Lock(), new MpOptions())
    {
        Inbox = new Inbox(Completion, Gate);
    }

    public FanOutStream Stream { get; } = new();

    /// <summary>T.120 style: a member's data is also relayed to every other member.</summary>
    public bool RelaysLeafData => !Info.Has(Ws2Spi.XP1_MULTIPOINT_DATA_PLANE);

    /// <summary>
    /// Nonrooted data plane: the root forwards a member's message to every other receiving member. The relayed frames
    /// count against each member's queue limit: under backpressure the sending member's connection stops being read
    /// while a member's queue is full (<see cref="RelayRoom"/>); under eviction a member whose queue passes the limit
    /// is dropped (FD_CLOSE with WSAECONNABORTED), as on a root send.
    /// </summary>
    public void Relay(LeafHandle from, FrameType type, ReadOnlySpan<byte> payload)
    {
        byte[]? frame = null;
        List<Connection>? evict = null;
        foreach (var leaf in _leaves)
        {
            if (leaf == from || leaf.Conn is not { ReceivesStream: true, IsTerminated: false } c) continue;
            c.Enqueue(frame ??= Frame.Make(type, payload));
            if (Options.SlowLeafPolicy == Ws2Spi.MP_POLICY_EVICT && c.Untaken(Stream.End) > Options.LeafQueueLimit) (evict ??= new()).Add(c);
        }
        if (evict is null) return;
        foreach (var c in evict) c.End(Ws2Spi.WSAECONNABORTED, abort: true);
        Writer.Schedule(this);
    }

    /// <summary>Under backpressure: every other receiving member's queue is under its limit (relayed data has room).</summary>
    public bool RelayRoom(LeafHandle from)
    {
        if (!RelaysLeafData || Options.SlowLeafPolicy == Ws2Spi.MP_POLICY_EVICT) return true;
        foreach (var leaf in _leaves)
            if (leaf != from && leaf.Conn is { ReceivesStream: true, IsTerminated: false } c && c.Untaken(Stream.End) >= Options.LeafQueueLimit)
                return false;
        return true;
    }

    /// <summary>A member's queue moved: members whose reading stopped for relay room may read again.</summary>
    public void ResumeRelaySources()
    {
        foreach (var leaf in _leaves) leaf.Conn?.ResumeReading();
    }

    /// <summary>Connections accepted that have not sent their join request yet, and how many are mid-frame (tests and diagnostics).</summary>
    public (int Count, int MidFrame) Handshaking
    {
        get { lock (Gate) return (_handshaking.Count, _handshaking.Count(c => c.DecoderState.MidFrame)); }
    }

    public int ReceiveLimit => Options.ReceiveBuffer;

    /// <summary>Connections not yet joined carry only join frames: nothing is queued for the application.</summary>
    public bool MayRead(Connection c) => true;

    protected override IEnumerable<Connection> ReceivingConnections => LeafConnections;

    /// <summary>Every joined leaf's connection.</summary>
    public IEnumerable<Connection> LeafConnections => _leaves.Select(l => l.Conn).OfType<Connection>();
    FanOutStream? IConnectionOwner.Stream => Stream;
    public Inbox Inbox { get; }
    public LeafHandle? Inviting { get; private set; }
    public override bool Joined => !Closed;
    public override bool Listening => _listening;
    protected override (Socket Listener, ulong Id, List<Connection> Handshaking)? AcceptParts =>
        _listening && _os is { } os ? (os, _listenerId, _handshaking) : null;
    protected override LinkedList<Connection>? JoinRequests => _pending;
    public override IPEndPoint? LocalEndPoint => _os is null ? null : SocketCalls.EndPoint(_os.SafeHandle, peer: false);
    public ulong AdmissionLeft => Options.AdmissionCapacity > _reserved ? Options.AdmissionCapacity - _reserved : 0;
    protected override ulong AdmissionAvailable() => AdmissionLeft;
    public override int BytesAvailable() => Inbox.FirstMessageBytes(null);
    public int LeafCount { get { lock (Gate) return _leaves.Count; } }

    public override int Bind(IPEndPoint ep)
    {
        lock (Gate)
        {
            if (Closed) return Ws2Spi.WSAENOTSOCK;
            if (_os is not null) return Ws2Spi.WSAEINVAL;
            var os = NewTcp(ep, out int errno);
            if (errno != 0) return errno;
            _os = os;
            return 0;
        }
    }

    public override int Listen(int backlog)
    {
        lock (Gate)
        {
            if (Closed) return Ws2Spi.WSAENOTSOCK;
            if (_os is null) return Ws2Spi.WSAEINVAL;
            if (_listening) return 0;
            int rc = StartListening(_os, backlog, this, out _listenerId);
            _listening = rc == 0;
            return rc;
        }
    }

    /// <summary>The listener is readable: take every waiting TCP connection; each must send JOIN_REQUEST within the join timeout.</summary>
    public void OnReady(uint events)
    {
        lock (Gate)
        {
            if (!Closed && _os is not null) AcceptWaiting(_os, this, _handshaking);
        }
    }

    // ---- connection events for handshaking and pending connections ----

    public void OnConnected(Connection c, int error) { }

    /// <summary>Data on a connection that has not joined: judged as any other frame (refused).</summary>
    public void OnData(Connection c, bool endOfMessage, ReadOnlySpan<byte> payload, byte[]? owned) =>
        OnFrame(c, endOfMessage ? FrameType.Data : FrameType.DataMore, owned ?? payload.ToArray());

    public void DataDelivered(Connection c) { }

    public void OnFrame(Connection c, FrameType type, byte[] payload)
    {
        if (type == FrameType.JoinRequest && _handshaking.Remove(c) && JoinRequest.Decode(payload) is { Direction: JoinDirection.LeafInitiated } request)
        {
            // Admission control before the application sees the request: an invalid or unaffordable flowspec is refused.
            if (request.Qos is not null && (!Flowspecs.IsValid(request.Qos, request.Flags)
                                            || Flowspecs.Reserved(request.Qos, request.Flags) > AdmissionLeft))
            {
                c.Enqueue(JoinReject.Encode(Ws2Spi.WSAEOPNOTSUPP));
                c.CloseGracefully();
                return;
            }
            c.Tag = request;
            c.JoinDeadline = 0;
            _pending.AddLast(c);
            RefreshEvents();
            WakeReadyWaiters();
            return;
        }
        c.Reject($"unexpected {type} frame before the join");
        _handshaking.Remove(c);
        c.End(Ws2Spi.WSAECONNABORTED, abort: true);
    }

    public void OnClosed(Connection c, int error)
    {
        // A joiner that gave up or closed: its request is withdrawn.
        _handshaking.Remove(c);
        if (_pending.Remove(c)) RefreshEvents();
    }

    public void OnWritten(Connection c) { }

    // ---- accept (leaf-initiated joins) ----

    public override SOCKET Accept(byte[]? addr, ref int addrlen, LPCONDITIONPROC? condition, nuint callbackData, out int errno) =>
        AcceptJoin(addr, ref addrlen, condition, callbackData, AdmitLeaf, out errno);

    /// <summary>An accepted leaf-initiated join: admission for the granted flowspecs, then the leaf's socket.</summary>
    private SOCKET AdmitLeaf(Connection c, JoinRequest request, QOS? granted, byte[] calleeData, out int errno)
    {
        ulong reserve = Flowspecs.Reserved(granted, request.Flags);
        if (reserve > AdmissionLeft)
        {
            c.Enqueue(JoinReject.Encode(Ws2Spi.WSAEOPNOTSUPP));
            c.CloseGracefully();
            errno = Ws2Spi.WSAEOPNOTSUPP;
            return SOCKET.Invalid;
        }
        var leaf = new LeafHandle(this, request.Flags);
        var handle = Provider.Register(leaf, out errno);
        if (!handle.IsValid)
        {
            c.Enqueue(JoinReject.Encode(Ws2Spi.WSAENOBUFS));
            c.CloseGracefully();
            return handle;
        }
        c.SendNow(new JoinAccept(calleeData, granted).Encode()); // from the accepting thread: no writer wake-up
        leaf.Admit(c, granted, reserve);
        _reserved += reserve;
        _leaves.Add(leaf);
        return handle;
    }

    // ---- leaves leaving ----

    /// <summary>A leaf went away (0 = it left with LEAVE; else how the connection broke).</summary>
    public void LeafLeft(LeafHandle leaf, int error)
    {
        if (!_leaves.Remove(leaf)) return;
        _reserved -= Math.Min(_reserved, leaf.Reserved);
        leaf.State = LeafHandle.Phase.Ended;
        leaf.EndError = error;
        Inbox.FailWaiting(error == 0 ? Ws2Spi.WSAEDISCON : error, f => f == leaf);
        leaf.PumpSends(); // queued side-chat sends fail with the session's error
        leaf.RioDeliverWaiting(); // its posted RIO receives learn of the end once nothing waits
        leaf.RefreshEvents();
        leaf.WakeReadyWaiters();
        Writer.Schedule(this); // the slowest position may have moved
    }

    /// <summary>The root's handle for a leaf was closed (or shut down): that leaf is dropped gracefully.</summary>
    public void DropLeaf(LeafHandle leaf)
    {
        if (Inviting == leaf)
        {
            Inviting = null;
            leaf.Conn?.Abort(); // the pending join is withdrawn; the leaf sees the request disappear
            ReleaseInvitation(leaf);
            leaf.State = LeafHandle.Phase.Ended;
            return;
        }
        if (!_leaves.Remove(leaf)) return;
        _reserved -= Math.Min(_reserved, leaf.Reserved);
        leaf.PumpSends(); // shut down: its queued sends fail with WSAESHUTDOWN
        Drain(leaf.Conn);
        Inbox.DropFrom(leaf);
        Writer.Schedule(this);
    }

    /// <summary>SIO_SET_QOS on a leaf's handle (or its request): admission for the difference.</summary>
    public bool TryRegrant(LeafHandle leaf, QOS asked)
    {
        ulong need = Flowspecs.Reserved(asked, leaf.JoinFlags);
        ulong available = AdmissionLeft + leaf.Reserved;
        if (need > available) return false;
        _reserved = _reserved - leaf.Reserved + need;
        leaf.Reserved = need;
        return true;
    }

    public override int Receive(WSABUF[] buffers, uint count, out uint received, ref uint flags, byte[]? from, ref int fromlen,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno) =>
        ReceiveFrom(Inbox, null, buffers, count, out received, ref flags, from, ref fromlen, ov, routine, threadId, out errno);

    // ---- ending the session ----

    public override int Shutdown(int how)
    {
        if (how is < Ws2Spi.SD_RECEIVE or > Ws2Spi.SD_BOTH) return Ws2Spi.WSAEINVAL;
        lock (Gate)
        {
            if (how != Ws2Spi.SD_SEND) RecvShut = true;
            if (how != Ws2Spi.SD_RECEIVE && !SendShut)
            {
                SendShut = true;
                EndSession();
            }
            return 0;
        }
    }

    /// <summary>Every leaf gets LEAVE (after the data already queued) and every local handle FD_CLOSE.</summary>
    private void EndSession()
    {
        foreach (var leaf in _leaves)
        {
            Drain(leaf.Conn);
            leaf.State = LeafHandle.Phase.Ended;
            leaf.EndError = 0;
            leaf.PumpSends();
            leaf.RefreshEvents();
            leaf.WakeReadyWaiters();
        }
        _leaves.Clear();
        _reserved = 0;
        if (Inviting is { } inv) { inv.Conn?.Abort(); Fail(inv, Ws2Spi.WSAECONNABORTED); Inviting = null; }
        foreach (var c in _pending) { c.Enqueue(JoinReject.Encode(Ws2Spi.WSAECONNREFUSED)); c.CloseGracefully(); }
        _pending.Clear();
        PumpSends(); // the root's queued sends fail: the session is over
        Writer.Schedule(this);
    }

    public override void Close()
    {
        lock (Gate)
        {
            if (Closed) return;
            AbortSends(); // pending overlapped sends: WSA_OPERATION_ABORTED
            RioClose();
            if (!SendShut) { SendShut = true; EndSession(); }
            Closed = true;
            StopListening(_os, _listenerId, _handshaking); // pending joins were refused by EndSession
            Inbox.FailWaiting(Ws2Spi.WSA_OPERATION_ABORTED, _ => true);
            WakeReadyWaiters();
        }
    }

    public override void RefreshEvents()
    {
        WakeReadyWaiters(); // select and the blocked threads re-check
        if (!Events.Active || Closed) return;
        if (_listening && _pending.Count > 0) Events.Signal(Ws2Spi.FD_ACCEPT, 0);
        if (Inbox.HasMessage(null)) Events.Signal(Ws2Spi.FD_READ, 0);
    }

    public override bool Readable() => (_listening && _pending.Count > 0) || Inbox.HasMessage(null);
}
