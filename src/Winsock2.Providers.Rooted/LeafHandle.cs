using System.Net;
using Winsock2.Providers.Rooted.Wire;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// The c_leaf socket a root holds for one leaf (from accept on the c_root, or from WSAJoinLeaf on it). It has the
/// c_root's properties and selection; it reports that leaf's departure (FD_CLOSE); closing it drops the leaf;
/// its sends and receives are a side chat with that one leaf (it sees only that leaf's messages).
/// </summary>
internal sealed class LeafHandle : RootedSocket, IConnectionOwner
{
    public enum Phase { Inviting, Joined, Ended }

    public LeafHandle(RootSocket root, uint joinFlags)
        : base(root.Provider, root.Info, (root.Flags & (Ws2Spi.WSA_FLAG_OVERLAPPED | Ws2Spi.WSA_FLAG_REGISTERED_IO)) | Ws2Spi.WSA_FLAG_MULTIPOINT_C_LEAF | Ws2Spi.WSA_FLAG_MULTIPOINT_D_LEAF,
            root.Gate, root.Options)
    {
        Root = root;
        JoinFlags = joinFlags;
        NonBlocking = root.NonBlocking;
        RecvTimeoutMs = root.RecvTimeoutMs;
        SendTimeoutMs = root.SendTimeoutMs;
        if (root.Events.Active) Events.CopyFrom(root.Events);
    }

    public RootSocket Root { get; }
    public Connection? Conn;
    public Phase State = Phase.Joined;
    public int EndError;
    /// <summary>Admission capacity this leaf holds (bytes/s).</summary>
    public ulong Reserved;
    /// <summary>Root-initiated join: the request to send and where the callee data goes.</summary>
    public JoinRequest? Request;
    public WSABUF? CalleeOut;

    public FanOutStream? Stream => Root.Stream;
    public override bool Joined => State == Phase.Joined;
    public override bool Ended => State == Phase.Ended && Conn is not null;
    public IPEndPoint? RemoteEndPoint => Conn?.Remote;
    public override IPEndPoint? PeerEndPoint => Conn?.Remote;
    public override IPEndPoint? LocalEndPoint => Conn?.Local;
    public override int BytesAvailable() => Root.Inbox.FirstMessageBytes(this);
    /// <summary>True once the join completed (whatever happened to the leaf since).</summary>
    public bool Admitted { get; private set; }

    // JoinFlags are the leaf's role (its flowspecs are the leaf's too); this socket's role is the mirror of it.
    private bool LeafSendsOnly => (JoinFlags & Ws2Spi.JL_SENDER_ONLY) != 0;
    private bool LeafReceivesOnly => (JoinFlags & Ws2Spi.JL_RECEIVER_ONLY) != 0;
    /// <summary>This socket may not receive: its leaf only receives.</summary>
    public override bool SenderOnly => LeafReceivesOnly;
    /// <summary>This socket may not send: its leaf only sends.</summary>
    public override bool ReceiverOnly => LeafSendsOnly;

    /// <summary>The per-leaf socket sends in the leaf's receiving direction.</summary>
    protected override FLOWSPEC? SendingOf(QOS? granted) => granted?.ReceivingFlowspec;

    /// <summary>The root's connection to the leaf writes at the leaf's receiving grant and carries its service type's mark.</summary>
    protected override void GrantApplied(QOS? granted)
    {
        if (Conn is not { } c) return;
        c.Pace(granted?.ReceivingFlowspec);
        if (granted is not null) c.SetDscp(Flowspecs.Dscp(granted.ReceivingFlowspec.ServiceType));
    }
    protected override ulong AdmissionAvailable() => Root.AdmissionLeft;

    /// <summary>The leaf is in: start it at the end of the shared stream, mark its packets, hold its admission.</summary>
    public void Admit(Connection c, QOS? granted, ulong reserved)
    {
        Conn = c;
        c.Owner = this;
        c.ReceivesStream = !LeafSendsOnly;
        c.StartAtStreamEnd();
        c.Established = true;
        c.JoinDeadline = 0;
        c.HeartbeatMs = Options.HeartbeatMs;
        Reserved = reserved;
        State = Phase.Joined;
        Admitted = true;
        QosChanged(granted, signal: false);
        if (Events.Active) Events.Signal(Ws2Spi.FD_WRITE, 0);
    }

    // ---- connection events ----

    public void OnConnected(Connection c, int error)
    {
        if (error != 0) { Root.InviteFinished(this, error); return; }
        c.Enqueue(Request!.Encode());
    }

    /// <summary>The leaf's message: relayed (nonrooted data plane) and queued in the root's inbox, from this leaf.</summary>
    public void OnData(Connection c, bool endOfMessage, ReadOnlySpan<byte> payload, byte[]? owned)
    {
        var type = endOfMessage ? FrameType.Data : FrameType.DataMore;
        if (State != Phase.Joined) { OnFrame(c, type, owned ?? payload.ToArray()); return; }
        if (Root.RelaysLeafData) Root.Relay(this, type, payload);
        Root.Inbox.Deliver(this, c, payload, owned, endOfMessage);
    }

    /// <summary>After a read's messages: the root and this leaf's socket re-derive readiness and events once.</summary>
    public void DataDelivered(Connection c)
    {
        RioDeliverWaiting(); // this leaf's socket's RIO receives first, then the root's (any leaf)
        Root.RioDeliverWaiting();
        Root.RefreshEvents();
        RefreshEvents();
    }

    protected override (Inbox Inbox, LeafHandle? Filter)? RioInbox => (Root.Inbox, this);
    protected override Connection? RioResumable() => Conn is { } c && c.TakePause() ? c : null;
    protected override Connection? RioPollConnection() => State == Phase.Joined ? Conn : null;
    protected override void AppendRio(ReadOnlySpan<byte> message) => Conn!.Enqueue(Frame.Make(FrameType.Data, message));

    public void OnFrame(Connection c, FrameType type, byte[] payload)
    {
        if (State == Phase.Inviting)
        {
            switch (type)
            {
                case FrameType.JoinAccept when JoinAccept.Decode(payload) is { } accept:
                    Root.InviteAccepted(this, accept);
                    return;
                case FrameType.JoinReject:
                    Root.InviteFinished(this, JoinReject.Decode(payload));
                    c.Abort();
                    return;
            }
        }
        else if (State == Phase.Joined)
        {
            switch (type)
            {
                case FrameType.QosUpdate when payload.Length == QosWire.Size:
                    // The leaf asks for new flowspecs: admission decides, and the answer (new or unchanged) goes back.
                    // Granted as asked, or refused with the grant in force kept; the answer is the grant in force.
                    var asked = QosWire.Read(payload);
                    if (Flowspecs.IsValid(asked, JoinFlags) && Root.TryRegrant(this, asked)) QosChanged(asked);
                    var answer = new byte[QosWire.Size];
                    QosWire.Write(Qos ?? QosWire.None, answer);
                    c.Enqueue(Frame.Make(FrameType.QosUpdate, answer));
                    return;
            }
        }
        c.Reject($"unexpected {type} frame");
        c.End(Ws2Spi.WSAECONNABORTED, abort: true);
    }

    public void OnClosed(Connection c, int error)
    {
        if (State == Phase.Inviting) Root.InviteFinished(this, error == 0 ? Ws2Spi.WSAECONNREFUSED : error);
        else if (State == Phase.Joined) Root.LeafLeft(this, error);
    }

    public void OnWritten(Connection c)
    {
        if (c.Backlog(Root.Stream.End) <= Options.LeafQueueLimit / 2) RoomAvailable();
        else PumpSends();
        Root.LeafWrote();
        if (Root.RelaysLeafData) Root.ResumeRelaySources();
    }

    public int ReceiveLimit => Options.ReceiveBuffer;

    /// <summary>The root and its per-leaf sockets share SO_RCVBUF: a change applies to every leaf's connection.</summary>
    protected override IEnumerable<Connection> ReceivingConnections => Root.LeafConnections;

    /// <summary>This leaf's messages wait in the root's inbox (SO_RCVBUF per leaf); relayed ones also need room at the other leaves.</summary>
    public bool MayRead(Connection c) => Volatile.Read(ref c.Unread) is var unread && (unread == 0 || unread < Options.ReceiveBuffer) && Root.RelayRoom(this);

    // ---- socket calls ----

    protected override int EndedError => EndedAs(State == Phase.Ended, EndError);

    public override int Receive(WSABUF[] buffers, uint count, out uint received, ref uint flags, byte[]? from, ref int fromlen,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno) =>
        ReceiveFrom(Root.Inbox, this, buffers, count, out received, ref flags, from, ref fromlen, ov, routine, threadId, out errno);

    /// <summary>A side chat: the message goes to this one leaf, in order with the root's multipoint data.</summary>
    public override int Send(WSABUF[] buffers, uint count, out uint sent, uint flags, WSAOVERLAPPED? ov,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno) =>
        SendMessage(buffers, count, out sent, flags, ov, routine, threadId, out errno);

    protected override bool RoomFor(int length) => Conn is { } c && Fits(c.Backlog(Root.Stream.End), length);
    protected override void AppendMessage(IoRequest r) => Conn!.Enqueue(DataFrame.Make(r));

    public override int Shutdown(int how)
    {
        lock (Gate)
        {
            if (State != Phase.Joined) return Ws2Spi.WSAENOTCONN;
            if (how is Ws2Spi.SD_RECEIVE or Ws2Spi.SD_BOTH) RecvShut = true;
            if (how is Ws2Spi.SD_SEND or Ws2Spi.SD_BOTH)
            {
                SendShut = true;
                Root.DropLeaf(this);
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
            Root.DropLeaf(this);
            Closed = true;
            Root.Inbox.FailWaiting(Ws2Spi.WSA_OPERATION_ABORTED, f => f == this);
            WakeReadyWaiters();
        }
    }

    protected override int ChangeQos(QOS q)
    {
        if (!Root.TryRegrant(this, q)) return Ws2Spi.WSAEOPNOTSUPP;
        QosChanged(q);
        var b = new byte[QosWire.Size];
        QosWire.Write(q, b);
        Conn?.Enqueue(Frame.Make(FrameType.QosUpdate, b)); // the leaf applies it and records FD_QOS
        return 0;
    }

    public override void RefreshEvents()
    {
        WakeReadyWaiters(); // select and the blocked threads re-check
        if (!Events.Active || Closed) return;
        bool queued = Root.Inbox.HasMessage(this);
        if (queued) Events.Signal(Ws2Spi.FD_READ, 0);
        else if (State == Phase.Ended && Conn is not null) Events.Signal(Ws2Spi.FD_CLOSE, EndError);
    }

    public override bool Readable() => Root.Inbox.HasMessage(this) || State == Phase.Ended;
}
