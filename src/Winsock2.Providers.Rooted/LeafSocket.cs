using System.Net;
using System.Net.Sockets;
using Winsock2.Interop;
using Winsock2.Providers.Rooted.Wire;
using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// A c_leaf|d_leaf socket: joins a root itself (WSAJoinLeaf returns this same socket), or listens for a root's
/// invitations and accepts them (accept returns a new joined leaf socket). Joined, it talks to the root only.
/// </summary>
internal sealed class LeafSocket : RootedSocket, IConnectionOwner, IReadyHandler
{
    public enum Phase { Idle, Joining, Joined, Ended }

    private readonly LinkedList<Connection> _invites = new();
    private readonly List<Connection> _handshaking = new();
    private Socket? _bound;
    private IPEndPoint? _boundAddress;
    private ulong _listenerId;
    private bool _listening;
    private JoinRequest? _request;
    private WSABUF? _calleeOut;
    private int _joinError;

    public LeafSocket(RootedProvider provider, WSAPROTOCOL_INFOW info, uint flags, Lock? gate = null, MpOptions? options = null)
        : base(provider, info, flags, gate ?? new Lock(), options ?? new MpOptions())
    {
        Inbox = new Inbox(Completion, Gate);
    }

    public Inbox Inbox { get; }
    public Connection? Conn { get; private set; }
    public Phase State { get; private set; }
    public int EndError { get; private set; }
    FanOutStream? IConnectionOwner.Stream => null;
    public override bool Joined => State == Phase.Joined;
    public override bool Ended => State == Phase.Ended;
    public override bool Listening => _listening;
    protected override (Socket Listener, ulong Id, List<Connection> Handshaking)? AcceptParts =>
        _listening && _bound is { } b ? (b, _listenerId, _handshaking) : null;
    protected override LinkedList<Connection>? JoinRequests => _invites;
    public override IPEndPoint? PeerEndPoint => State == Phase.Joined ? Conn?.Remote : null;
    public override IPEndPoint? LocalEndPoint => Conn?.Local ?? (_bound is null ? null : SocketCalls.EndPoint(_bound.SafeHandle, peer: false));
    public override int BytesAvailable() => Inbox.FirstMessageBytes(null);
    protected override bool ReceivesWithoutLock => true;

    public int ReceiveLimit => Options.ReceiveBuffer;

    /// <summary>
    /// The root's messages wait in this socket's inbox: reading stops while SO_RCVBUF is full (one message always fits).
    /// A closed socket's inbox is never read again: its connection reads on to the root's LEAVE and FIN.
    /// With a request queue, reading also pauses while messages wait and no RIO receive is posted.
    /// </summary>
    public bool MayRead(Connection c) => Closed || Volatile.Read(ref c.Unread) is var unread
        && (unread == 0 || (unread < Options.ReceiveBuffer && Rio is not { PostedReceives: 0 }));

    protected override IEnumerable<Connection> ReceivingConnections => Conn is { } c ? [c] : [];

    public override int Bind(IPEndPoint ep)
    {
        lock (Gate)
        {
            if (Closed) return Ws2Spi.WSAENOTSOCK;
            if (_bound is not null || State != Phase.Idle) return Ws2Spi.WSAEINVAL;
            var os = NewTcp(ep, out int errno);
            if (errno != 0) return errno;
            _bound = os;
            _boundAddress = SocketCalls.EndPoint(os.SafeHandle, peer: false);
            return 0;
        }
    }

    /// <summary>listen on a c_leaf: accept only multipoint invitations.</summary>
    public override int Listen(int backlog)
    {
        lock (Gate)
        {
            if (Closed) return Ws2Spi.WSAENOTSOCK;
            if (State != Phase.Idle) return Ws2Spi.WSAEISCONN;
            if (_bound is null) return Ws2Spi.WSAEINVAL;
            if (_listening) return 0;
            int rc = StartListening(_bound, backlog, this, out _listenerId);
            _listening = rc == 0;
            return rc;
        }
    }

    public void OnReady(uint events)
    {
        lock (Gate)
        {
            if (!Closed && _bound is not null) AcceptWaiting(_bound, this, _handshaking);
        }
    }

    // ---- leaf-initiated join ----

    public override SOCKET JoinLeaf(IPEndPoint ep, WSABUF? callerData, WSABUF? calleeData, QOS? sqos, uint flags, out int errno)
    {
        Connection c;
        bool nonBlocking;
        lock (Gate)
        {
            errno = Closed ? Ws2Spi.WSAENOTSOCK
                : _listening ? Ws2Spi.WSAEINVAL
                : State == Phase.Joining ? Ws2Spi.WSAEALREADY
                : State is Phase.Joined or Phase.Ended ? Ws2Spi.WSAEISCONN
                : CheckRemote(ep);
            var qos = sqos ?? Qos; // lpSQOS overrides an earlier SIO_SET_QOS
            if (errno == 0) errno = CheckJoinArguments(callerData, calleeData, qos, flags);
            if (errno != 0) return SOCKET.Invalid;
            if (flags == 0) flags = Ws2Spi.JL_BOTH;
            // An unbound socket is bound implicitly by the connect; a bound one keeps its address across retries.
            var os = _bound ?? NewTcp(_boundAddress, out errno, rebind: _boundAddress is not null);
            _bound = null;
            if (errno != 0) return SOCKET.Invalid;
            int rc = StartConnect(os, ep);
            if (rc > 0)
            {
                os.Dispose();
                errno = rc;
                return SOCKET.Invalid;
            }
            JoinFlags = flags;
            _request = new JoinRequest(JoinDirection.LeafInitiated, flags,
                callerData is null ? [] : callerData.AsSpan().ToArray(), qos?.Clone());
            _calleeOut = calleeData;
            State = Phase.Joining;
            Events.Reenable(Ws2Spi.FD_CONNECT);
            Conn = c = new Connection(this, os, connecting: rc == -1, Options.HeartbeatMs, watch: false, peer: ep)
            {
                JoinDeadline = Environment.TickCount64 + Options.JoinTimeoutMs,
            };
            if (rc == 0) OnConnected(c, 0);
            else c.FinishConnectIfDone();
            nonBlocking = NonBlocking;
        }
        if (nonBlocking)
        {
            c.Watch(); // now that the lock is released (Connection.Watch)
            return Handle; // FD_CONNECT tells the outcome; never WSAEWOULDBLOCK
        }
        // The joining thread reads its own answer (Connection.SleepUntilAnswered), and the reactor watches the
        // connection once the wait is over. The condition is looked at without the lock (re-checked under it below).
        int wait = WaitFor(this, static s => s.State != Phase.Joining || s.Closed, static (s, ms) => SleepUntilAnswered(s.Conn, ms));
        c.Watch();
        lock (Gate)
        {
            if (State is Phase.Joined or Phase.Ended) return Handle; // joined, whatever the root did since (FD_CLOSE follows)
            errno = wait != 0 ? wait : Closed ? Ws2Spi.WSAEINTR : _joinError;
            if (State == Phase.Joining) JoinFailed(errno);
            return SOCKET.Invalid;
        }
    }

    private void JoinFailed(int error)
    {
        State = Phase.Idle; // WSAECONNREFUSED, WSAENETUNREACH, WSAETIMEDOUT: the same socket may try again
        _joinError = error;
        if (NonBlocking) SocketError = error; // SO_ERROR reports it until read
        Conn?.Abort();
        Conn = null;
        Events.Signal(Ws2Spi.FD_CONNECT, error);
        WakeReadyWaiters();
    }

    public void OnConnected(Connection c, int error)
    {
        if (c != Conn) return;
        if (error != 0) { JoinFailed(error); return; }
        c.SendNow(_request!.Encode()); // from the thread that saw the connect finish
    }

    /// <summary>
    /// The root's message, queued in the inbox (a JL_SENDER_ONLY member receives nothing; a closed socket's inbox is
    /// never read again, so nothing is kept for it).
    /// </summary>
    public void OnData(Connection c, bool endOfMessage, ReadOnlySpan<byte> payload, byte[]? owned)
    {
        if (c != Conn || State != Phase.Joined) { OnFrame(c, endOfMessage ? FrameType.Data : FrameType.DataMore, owned ?? payload.ToArray()); return; }
        if (SenderOnly || Closed) return;
        if (Rio is { } rq && !Inbox.HasMessage(null))
        {
            // Registered I/O: straight into the posted receives, one message (or piece) per receive; what finds no
            // receive waits in the inbox, and reading pauses (MayRead) until receives are posted.
            int taken = 0;
            while (rq.TryPeekReceive(out var req))
            {
                taken += RioReceiveFill.Complete(rq, req, payload[taken..], endOfMessage, null, Family);
                if (taken == payload.Length) return;
            }
            if (taken > 0) { payload = payload[taken..]; owned = null; }
        }
        Inbox.Deliver(null, c, payload, owned, endOfMessage);
    }

    /// <summary>A message that spans reads goes straight into the posted RIO receive that holds it whole, when one is next.</summary>
    public bool OnDataStart(Connection c, bool endOfMessage, int total, ReadOnlySpan<byte> first) =>
        c == Conn && State == Phase.Joined && !SenderOnly && !Closed && Rio is { } rq && !Inbox.HasMessage(null)
        && _rioPieces.Start(rq, endOfMessage, total, first);

    public void OnDataPiece(Connection c, ReadOnlySpan<byte> piece, bool last)
    {
        if (c == Conn) _rioPieces.Piece(Rio, piece, last, Family);
    }

    /// <summary>The rest of a message under way may be read straight into its posted receive (the fill guard begun).</summary>
    public bool TryBeginDirect(Connection c, int remaining, out ArraySegment<byte> into)
    {
        into = default;
        if (c != Conn || Rio is not { } rq || !_rioPieces.TryDirect(out var rest, out long sequence) || rest.Count != remaining) return false;
        if (!rq.TryBeginReceiveFill(sequence)) return false;
        into = rest;
        return true;
    }

    public void EndDirect(Connection c) => Rio?.EndReceiveFill();

    public void OnDirect(Connection c, int n, bool last)
    {
        if (c == Conn) _rioPieces.Direct(Rio, n, last, Family);
    }

    private readonly RioPieceFill _rioPieces = new();

    /// <summary>After a read's messages: readiness and events are re-derived once.</summary>
    public void DataDelivered(Connection c)
    {
        if (c != Conn) return;
        Rio?.Publish(); // a read's completions become visible together
        RefreshEvents();
    }

    /// <summary>
    /// Readiness is left to the application's thread while it polls its Registered I/O completion queue for posted
    /// receives (no RIONotify armed): its next RIODequeueCompletion on an empty queue reads (Connection.Deferred.cs).
    /// </summary>
    public bool MayDeferRead(Connection c) =>
        c == Conn && State == Phase.Joined && !Closed && Rio is { PostedReceives: > 0, ReceiverPolls: true };

    protected override (Inbox Inbox, LeafHandle? Filter)? RioInbox => (Inbox, null);
    protected override Connection? RioPollConnection() => State == Phase.Joined ? Conn : null;
    protected override Connection? RioResumable() => Conn is { } c && c.TakePause() ? c : null;
    protected override void AppendRio(ReadOnlySpan<byte> message) => Conn!.Enqueue(Frame.Make(FrameType.Data, message));

    public void OnFrame(Connection c, FrameType type, byte[] payload)
    {
        if (c != Conn)
        {
            // A root's invitation on the listening socket.
            if (type == FrameType.JoinRequest && _handshaking.Remove(c)
                && JoinRequest.Decode(payload) is { Direction: JoinDirection.RootInitiated } invite
                && (invite.Qos is null || Flowspecs.IsValid(invite.Qos, invite.Flags)))
            {
                c.Tag = invite;
                c.JoinDeadline = 0;
                _invites.AddLast(c);
                RefreshEvents();
                WakeReadyWaiters();
                return;
            }
            _handshaking.Remove(c);
            c.Reject($"unexpected {type} frame on an invitation");
            c.End(Ws2Spi.WSAECONNABORTED, abort: true);
            return;
        }
        if (State == Phase.Joining)
        {
            if (type == FrameType.JoinAccept && JoinAccept.Decode(payload) is { } accept)
            {
                if (_calleeOut is { } outBuf)
                {
                    if (accept.CalleeData.Length > outBuf.len)
                    {
                        c.CloseGracefully();
                        Conn = null;
                        JoinFailed(Ws2Spi.WSAEFAULT); // the callee buffer is too small for the reply
                        return;
                    }
                    accept.CalleeData.CopyTo(outBuf.buf!, outBuf.offset);
                    outBuf.len = (uint)accept.CalleeData.Length;
                }
                State = Phase.Joined;
                c.Established = true;
                c.JoinDeadline = 0;
                if (accept.Granted is not null) c.SetDscp(Flowspecs.Dscp(accept.Granted.SendingFlowspec.ServiceType));
                QosChanged(accept.Granted);
                Events.Signal(Ws2Spi.FD_CONNECT, 0);
                if (!ReceiverOnly) Events.Signal(Ws2Spi.FD_WRITE, 0);
                WakeReadyWaiters();
                return;
            }
            if (type == FrameType.JoinReject)
            {
                JoinFailed(JoinReject.Decode(payload));
                return;
            }
        }
        else if (State == Phase.Joined)
        {
            switch (type)
            {
                case FrameType.QosUpdate when payload.Length == QosWire.Size:
                    // The root's grant: its answer to this socket's SIO_SET_QOS, or a change the root made.
                    var granted = QosWire.Granted(QosWire.Read(payload));
                    if (granted is not null) c.SetDscp(Flowspecs.Dscp(granted.SendingFlowspec.ServiceType));
                    QosChanged(granted);
                    QosAnswered();
                    return;
            }
        }
        c.Reject($"unexpected {type} frame");
        c.End(Ws2Spi.WSAECONNABORTED, abort: true);
    }

    public void OnClosed(Connection c, int error)
    {
        if (c != Conn)
        {
            _handshaking.Remove(c);
            if (_invites.Remove(c)) RefreshEvents(); // the root withdrew its invitation
            return;
        }
        if (State == Phase.Joining)
        {
            Conn = null;
            JoinFailed(error == 0 ? Ws2Spi.WSAECONNREFUSED : error);
            return;
        }
        if (State == Phase.Joined)
        {
            State = Phase.Ended;
            EndError = error;
            Inbox.FailWaiting(error == 0 ? Ws2Spi.WSAEDISCON : error, _ => true);
            if (Rio is { } rq) { RioTakeWaiting(rq); rq.Publish(); } // posted receives learn of the end once nothing waits
            PumpSends(); // queued sends fail with the session's error
            RefreshEvents();
            WakeReadyWaiters();
        }
    }

    public void OnWritten(Connection c)
    {
        if (c != Conn) return;
        if (c.Backlog(0) <= Options.LeafQueueLimit / 2) RoomAvailable();
        else PumpSends();
    }

    // ---- accepting a root's invitation ----

    public override SOCKET Accept(byte[]? addr, ref int addrlen, LPCONDITIONPROC? condition, nuint callbackData, out int errno) =>
        AcceptJoin(addr, ref addrlen, condition, callbackData, AdmitInvitation, out errno);

    /// <summary>An accepted invitation: a new joined member socket on the connection.</summary>
    private SOCKET AdmitInvitation(Connection c, JoinRequest invite, QOS? granted, byte[] calleeData, out int errno)
    {
        var member = new LeafSocket(Provider, Info, Flags, Gate, Options.Clone())
        {
            NonBlocking = NonBlocking, RecvTimeoutMs = RecvTimeoutMs, SendTimeoutMs = SendTimeoutMs,
        };
        var handle = Provider.Register(member, out errno);
        if (!handle.IsValid)
        {
            c.Enqueue(JoinReject.Encode(Ws2Spi.WSAENOBUFS));
            c.CloseGracefully();
            return handle;
        }
        c.SendNow(new JoinAccept(calleeData, granted).Encode()); // from the accepting thread: no writer wake-up
        member.AdoptInvitation(c, invite.Flags, granted, Events);
        return handle;
    }

    /// <summary>This new socket is the member an accepted invitation made.</summary>
    private void AdoptInvitation(Connection c, uint flags, QOS? granted, NetworkEventRecord listenerEvents)
    {
        Conn = c;
        c.Owner = this;
        c.Established = true;
        c.JoinDeadline = 0;
        c.HeartbeatMs = Options.HeartbeatMs;
        JoinFlags = flags;
        State = Phase.Joined;
        if (granted is not null) c.SetDscp(Flowspecs.Dscp(granted.SendingFlowspec.ServiceType));
        if (listenerEvents.Active) Events.CopyFrom(listenerEvents);
        QosChanged(granted);
        if (!ReceiverOnly) Events.Signal(Ws2Spi.FD_WRITE, 0);
    }

    // ---- data ----

    protected override int EndedError => EndedAs(State == Phase.Ended, EndError);

    public override int Receive(WSABUF[] buffers, uint count, out uint received, ref uint flags, byte[]? from, ref int fromlen,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno) =>
        ReceiveFrom(Inbox, null, buffers, count, out received, ref flags, from, ref fromlen, ov, routine, threadId, out errno);

    public override int Send(WSABUF[] buffers, uint count, out uint sent, uint flags, WSAOVERLAPPED? ov,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno) =>
        SendMessage(buffers, count, out sent, flags, ov, routine, threadId, out errno);

    protected override bool RoomFor(int length) => Conn is { } c && Fits(c.Backlog(0), length);
    protected override void AppendMessage(IoRequest r) => Conn!.Enqueue(DataFrame.Make(r));

    protected override int ChangeQos(QOS q)
    {
        // The root's admission decides: ask, and wait for its answer (QOS_UPDATE with the grant in force).
        if (Conn is not { } c) return Ws2Spi.WSAENOTCONN;
        var b = new byte[QosWire.Size];
        QosWire.Write(q, b);
        c.Enqueue(Frame.Make(FrameType.QosUpdate, b));
        return AwaitGrant(q);
    }

    public override int Shutdown(int how)
    {
        if (how is < Ws2Spi.SD_RECEIVE or > Ws2Spi.SD_BOTH) return Ws2Spi.WSAEINVAL;
        lock (Gate)
        {
            if (State != Phase.Joined) return Ws2Spi.WSAENOTCONN;
            if (how != Ws2Spi.SD_SEND) RecvShut = true;
            if (how != Ws2Spi.SD_RECEIVE && !SendShut)
            {
                SendShut = true;
                PumpSends(); // queued sends fail with WSAESHUTDOWN
                Conn?.CloseGracefully(); // leaving the session: the root sees FD_CLOSE with 0
            }
            return 0;
        }
    }

    public override void Close()
    {
        lock (Gate)
        {
            if (Closed) return;
            AbortSends(); // pending overlapped sends: WSA_OPERATION_ABORTED
            RioClose();
            Closed = true;
            if (State == Phase.Joining) Conn?.Abort(); // cancels the pending join: the acceptor sees it withdrawn
            else Conn?.CloseGracefully();
            Conn?.ResumeReading();
            Conn?.ReleaseDeferred(); // what waits unread for the application's next poll is read on to the root's LEAVE
            StopListening(_bound, _listenerId, _invites, _handshaking);
            Inbox.FailWaiting(Ws2Spi.WSA_OPERATION_ABORTED, _ => true);
            WakeReadyWaiters();
        }
    }

    public override void RefreshEvents()
    {
        WakeReadyWaiters(); // select and the blocked threads re-check
        if (!Events.Active || Closed) return;
        if (_listening)
        {
            if (_invites.Count > 0) Events.Signal(Ws2Spi.FD_ACCEPT, 0);
            return;
        }
        if (Inbox.HasMessage(null)) Events.Signal(Ws2Spi.FD_READ, 0);
        else if (State == Phase.Ended) Events.Signal(Ws2Spi.FD_CLOSE, EndError); // only after all data was read
    }

    public override bool Readable() => _invites.Count > 0 || Inbox.HasMessage(null) || State == Phase.Ended;
}
