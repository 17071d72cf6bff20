using Winsock2.Interop;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Winsock2.Providers.Rooted.Wire;
using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// What the rooted provider's sockets share: the session lock, the event record, completion delivery,
/// blocking mode, options, QoS, and the receive/send plumbing. The kinds: <see cref="RootSocket"/>
/// (c_root|d_root), <see cref="LeafSocket"/> (c_leaf|d_leaf) and <see cref="LeafHandle"/> (the c_leaf socket
/// a root holds for one leaf).
/// </summary>
internal abstract class RootedSocket : IProviderSocket, SelectEngine.ISelectable
{
    private readonly List<ThreadContext> _readyWaiters = new();
    private TokenBucket? _shaper;
    private Timer? _writeTimer;

    protected RootedSocket(RootedProvider provider, WSAPROTOCOL_INFOW info, uint flags, object gate, MpOptions options)
    {
        Provider = provider;
        Info = info;
        Flags = flags;
        Gate = gate;
        Options = options;
        Events = new NetworkEventRecord(provider.Upcalls);
        Completion = new Completion(provider.Upcalls);
    }

    public RootedProvider Provider { get; }
    public WSAPROTOCOL_INFOW Info { get; }
    public uint Flags { get; }
    public object Gate { get; }
    public MpOptions Options { get; }
    public NetworkEventRecord Events { get; }
    public Completion Completion { get; }
    public SOCKET Handle { get; private set; } = SOCKET.Invalid;
    public bool NonBlocking;
    public bool Closed;
    public bool SendShut, RecvShut;
    public int RecvTimeoutMs, SendTimeoutMs;
    public bool ReuseAddress;
    /// <summary>JL_ flags of this member (JL_BOTH unless joined otherwise).</summary>
    public uint JoinFlags = Ws2Spi.JL_BOTH;
    /// <summary>SIO_SET_QOS's value before a join; the granted flowspecs after.</summary>
    public QOS? Qos;
    protected bool WriteBlocked;

    public int Family => Info.iAddressFamily;
    public bool OverlappedCapable => (Flags & Ws2Spi.WSA_FLAG_OVERLAPPED) != 0;
    public bool SenderOnly => (JoinFlags & Ws2Spi.JL_SENDER_ONLY) != 0;
    public bool ReceiverOnly => (JoinFlags & Ws2Spi.JL_RECEIVER_ONLY) != 0;

    public void Attach(SOCKET handle)
    {
        Handle = handle;
        Events.Socket = handle;
    }

    // ---- what each kind provides ----

    /// <summary>Re-derives the level-triggered events (under the lock).</summary>
    public abstract void RefreshEvents();
    /// <summary>Readable for select (under the lock). Join completion is never visible to select.</summary>
    public abstract bool Readable();

    /// <summary>select: readable as <see cref="Readable"/> says; never writable or exceptional (join completion is invisible to select).</summary>
    public bool IsReady(int set)
    {
        if (set != 0) return false;
        lock (Gate) return !Closed && Readable();
    }
    public abstract int Receive(WSABUF[] buffers, uint count, out uint received, ref uint flags, byte[]? from, ref int fromlen,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno);
    public abstract int Send(WSABUF[] buffers, uint count, out uint sent, uint flags, WSAOVERLAPPED? ov,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno);
    public abstract void Close();

    /// <summary>Connection-oriented: WSPSendTo's address is ignored, as on a connected socket.</summary>
    int IProviderSocket.Send(WSABUF[] buffers, uint count, out uint sent, uint flags, byte[]? to, int tolen,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno) =>
        Send(buffers, count, out sent, flags, ov, routine, threadId, out errno);

    /// <summary>What a receive reports once nothing is left: 0 while the session lasts, else WSAEDISCON (graceful) or the error.</summary>
    protected virtual int EndedError => 0;

    /// <summary>How a member's session ended, as a receive reports it.</summary>
    protected static int EndedAs(bool ended, int error) => !ended ? 0 : error == 0 ? Ws2Spi.WSAEDISCON : error;

    /// <summary>A message to the one peer of <paramref name="conn"/> (a leaf's sends; a root's side chat with one leaf).</summary>
    protected int SendOnConnection(Func<Connection?> conn, long streamEnd, WSABUF[] buffers, uint count, out uint sent, uint flags,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno)
    {
        sent = 0;
        bool overlapped = ov is not null || routine is not null;
        int length;
        lock (Gate)
        {
            Events.Reenable(Ws2Spi.FD_WRITE);
            errno = CheckSend(flags, overlapped, buffers, count, out length);
            if (errno != 0) return Ws2Spi.SOCKET_ERROR;
        }
        var type = (flags & Ws2Spi.MSG_PARTIAL) != 0 ? FrameType.DataMore : FrameType.Data;
        return SendWhenRoom(
            len => conn() is { } c && c.Backlog(streamEnd) + len <= Options.LeafQueueLimit,
            len => conn()!.Enqueue(DataFrame.Make(type, buffers, count, len)),
            length, overlapped, ov, routine, threadId, out sent, out errno);
    }
    public virtual int Shutdown(int how) => Ws2Spi.WSAENOTCONN;
    public virtual int Bind(IPEndPoint ep) => Ws2Spi.WSAEINVAL;
    public virtual int Listen(int backlog) => Ws2Spi.WSAEOPNOTSUPP;
    public virtual SOCKET JoinLeaf(IPEndPoint ep, WSABUF? callerData, WSABUF? calleeData, QOS? sqos, uint flags, out int errno)
    {
        errno = Ws2Spi.WSAEINVAL;
        return SOCKET.Invalid;
    }
    public virtual SOCKET Accept(byte[]? addr, ref int addrlen, LPCONDITIONPROC? condition, nuint callbackData, out int errno)
    {
        errno = Ws2Spi.WSAEINVAL;
        return SOCKET.Invalid;
    }
    public virtual IPEndPoint? LocalEndPoint => null;
    public virtual IPEndPoint? PeerEndPoint => null;
    public virtual bool Listening => false;
    /// <summary>SIO_SET_QOS once joined (re-grant): 0 or an error.</summary>
    protected virtual int ChangeQos(QOS q) => 0;
    /// <summary>
    /// Reads what the socket holds into the inbox on the calling thread (under the lock); true if it tried.
    /// A leaf's receiving thread does this instead of waiting for the reactor to be scheduled.
    /// </summary>
    protected virtual bool PullInbound() => false;

    /// <summary>Bytes FIONREAD reports.</summary>
    protected virtual int BytesAvailable() => 0;
    /// <summary>True once the member may send and receive.</summary>
    public virtual bool Joined => false;
    /// <summary>True once the member's session is over (left, dropped, or the root ended it).</summary>
    public virtual bool Ended => false;

    // ---- shared receive plumbing ----

    /// <summary>The seed's receive rules over an inbox: immediate, pending (overlapped), would-block, or a blocking wait.</summary>
    protected int ReceiveFrom(Inbox inbox, LeafHandle? filter, WSABUF[] buffers, uint count, out uint received,
        ref uint flags, byte[]? from, ref int fromlen, WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine,
        WSATHREADID? threadId, out int errno)
    {
        received = 0;
        bool overlapped = ov is not null || routine is not null;
        int inFlags = (int)flags;
        IoRequest r;
        lock (Gate)
        {
            Events.Reenable(Ws2Spi.FD_READ);
            errno = CheckReceive(inFlags, overlapped);
            if (errno == 0 && from is not null && fromlen < SockAddr.SizeOf(Family)) errno = Ws2Spi.WSAEFAULT;
            if (errno != 0) return Ws2Spi.SOCKET_ERROR;
            r = IoRequest.Rent(buffers, count, inFlags, ov, routine, threadId);
            r.From = from;
            bool peek = (inFlags & Ws2Spi.MSG_PEEK) != 0;
            if (inbox.TryTake(r, filter, peek, out var source) || (PullInbound() && inbox.TryTake(r, filter, peek, out source)))
            {
                // The root socket may have taken a leaf's last message: that leaf's socket re-derives its events (FD_CLOSE).
                if (source is not null && source != this) source.RefreshEvents();
                received = (uint)r.Bytes;
                flags = (uint)r.OutFlags;
                if (from is not null) fromlen = SockAddr.SizeOf(Family);
                if (overlapped)
                {
                    ov?.Start();
                    Completion.Complete(r, 0, r.Bytes, r.OutFlags);
                }
                if (routine is null) r.Recycle(); // else the queued routine holds it until it has run
                RefreshEvents();
                return 0;
            }
            int ended = EndedError;
            if (ended != 0)
            {
                errno = ended;
                r.Recycle();
                RefreshEvents();
                return Ws2Spi.SOCKET_ERROR;
            }
            if (overlapped)
            {
                if (inbox.WaitingCount >= 4096) { errno = Ws2Spi.WSAEWOULDBLOCK; return Ws2Spi.SOCKET_ERROR; }
                ov?.Start();
                if (ov is not null && routine is null && ov.hEvent.IsValid) Provider.Upcalls.WPUResetEvent(ov.hEvent, out _);
                inbox.Wait(r, filter);
                WatchThread(r, inbox);
                errno = Ws2Spi.WSA_IO_PENDING;
                return Ws2Spi.SOCKET_ERROR;
            }
            if (NonBlocking)
            {
                errno = Ws2Spi.WSAEWOULDBLOCK;
                return Ws2Spi.SOCKET_ERROR;
            }
            inbox.Wait(r, filter);
        }
        int rc = Waits.BlockingWait(r, static r => r.Done, RecvTimeoutMs);
        lock (Gate)
        {
            if (rc != 0 && inbox.Remove(r)) { errno = rc; r.Recycle(); return Ws2Spi.SOCKET_ERROR; }
            RefreshEvents();
        }
        errno = r.Error;
        received = (uint)r.Bytes;
        flags = (uint)r.OutFlags;
        r.Recycle(); // a blocking receive's request is referred to by nothing once it is done
        if (errno != 0) return Ws2Spi.SOCKET_ERROR;
        if (from is not null) fromlen = SockAddr.SizeOf(Family);
        return 0;
    }

    private int CheckReceive(int inFlags, bool overlapped)
    {
        if (Closed) return Ws2Spi.WSAENOTSOCK;
        if (overlapped && !OverlappedCapable) return Ws2Spi.WSAEINVAL;
        if ((inFlags & ~(Ws2Spi.MSG_PEEK | Ws2Spi.MSG_PARTIAL)) != 0) return Ws2Spi.WSAEOPNOTSUPP; // no OOB, no MSG_WAITALL on messages
        if ((inFlags & Ws2Spi.MSG_PEEK) != 0 && overlapped) return Ws2Spi.WSAEOPNOTSUPP;
        // A listening c_root still receives; a listening c_leaf is not joined. An ended member still hands out
        // what it had received, then reports how the session ended (WSAEDISCON after a graceful close).
        if (!Joined && !Ended) return Ws2Spi.WSAENOTCONN;
        if (SenderOnly) return Ws2Spi.WSAEOPNOTSUPP; // a JL_SENDER_ONLY member receives nothing
        if (RecvShut) return Ws2Spi.WSAESHUTDOWN;
        return 0;
    }

    private void WatchThread(IoRequest r, Inbox inbox)
    {
        var tid = r.Thread?.ThreadHandle ?? ThreadContext.Current.Handle;
        if (!ThreadRegistry.TryGet(tid, out var ctx)) return;
        r.Rundown = ctx.RegisterRundown(() =>
        {
            lock (Gate)
            {
                if (inbox.Remove(r)) Completion.Complete(r, Ws2Spi.WSA_OPERATION_ABORTED, 0, 0);
            }
        });
    }

    // ---- shared send plumbing ----

    /// <summary>The common send checks: 0, or the error.</summary>
    protected int CheckSend(uint flags, bool overlapped, WSABUF[] buffers, uint count, out int length)
    {
        length = 0;
        if (Closed) return Ws2Spi.WSAENOTSOCK;
        if (overlapped && !OverlappedCapable) return Ws2Spi.WSAEINVAL;
        if ((flags & ~(uint)Ws2Spi.MSG_PARTIAL) != 0) return Ws2Spi.WSAEOPNOTSUPP;
        if (!Joined) return Ws2Spi.WSAENOTCONN;
        if (ReceiverOnly) return Ws2Spi.WSAEOPNOTSUPP; // a JL_RECEIVER_ONLY member cannot send
        if (SendShut) return Ws2Spi.WSAESHUTDOWN;
        long total = 0;
        for (int i = 0; i < count; i++) total += buffers[i].len;
        if (total > RootedLimits.MaxMessage) return Ws2Spi.WSAEMSGSIZE;
        length = (int)total;
        return 0;
    }

    /// <summary>
    /// Appends the message (under the lock) once <paramref name="roomFor"/> says there is room. A blocking socket waits
    /// alertably for room or tokens; a nonblocking one gets WSAEWOULDBLOCK and FD_WRITE once room returns.
    /// Overlapped sends behave as blocking ones on the calling thread, then complete at once.
    /// </summary>
    protected int SendWhenRoom(Func<int, bool> roomFor, Action<int> append, int length, bool overlapped, WSAOVERLAPPED? ov,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out uint sent, out int errno)
    {
        sent = 0;
        long deadline = SendTimeoutMs > 0 ? Environment.TickCount64 + SendTimeoutMs : long.MaxValue;
        while (true)
        {
            int wait;
            lock (Gate)
            {
                errno = Closed ? Ws2Spi.WSAENOTSOCK : SendShut ? Ws2Spi.WSAESHUTDOWN : !Joined ? Ws2Spi.WSAENOTCONN : 0;
                if (errno != 0) return Ws2Spi.SOCKET_ERROR;
                int shapeDelay = _shaper?.DelayMs(Environment.TickCount64) ?? 0;
                if (shapeDelay == 0 && roomFor(length))
                {
                    append(length);
                    _shaper?.Consume(length);
                    sent = (uint)length;
                    if (overlapped)
                    {
                        var r = new IoRequest([], 0, 0, ov, routine, threadId);
                        ov?.Start();
                        Completion.Complete(r, 0, length, 0);
                    }
                    return 0;
                }
                if (NonBlocking && !overlapped)
                {
                    WriteBlocked = true;
                    if (shapeDelay > 0) ArmWriteTimer(shapeDelay);
                    errno = Ws2Spi.WSAEWOULDBLOCK;
                    return Ws2Spi.SOCKET_ERROR;
                }
                wait = shapeDelay > 0 ? shapeDelay : 50;
            }
            long left = deadline - Environment.TickCount64;
            if (left <= 0) { errno = Ws2Spi.WSAETIMEDOUT; return Ws2Spi.SOCKET_ERROR; }
            // Wait until room (or tokens) is back or the socket ends; a wake-up re-checks at once.
            int rc = WaitFor(() =>
            {
                lock (Gate)
                    return Closed || SendShut || !Joined
                           || ((_shaper?.DelayMs(Environment.TickCount64) ?? 0) == 0 && roomFor(length));
            }, (int)Math.Min(wait, left));
            if (rc != 0 && rc != Ws2Spi.WSAETIMEDOUT) { errno = rc; return Ws2Spi.SOCKET_ERROR; }
        }
    }

    /// <summary>Room came back (or tokens did): wake blocked senders and record FD_WRITE if a send failed with WSAEWOULDBLOCK.</summary>
    protected void RoomAvailable()
    {
        if (WriteBlocked && (_shaper?.DelayMs(Environment.TickCount64) ?? 0) == 0)
        {
            WriteBlocked = false;
            Events.Signal(Ws2Spi.FD_WRITE, 0);
        }
        WakeReadyWaiters();
    }

    private void ArmWriteTimer(int ms)
    {
        _writeTimer?.Dispose();
        _writeTimer = new Timer(_ =>
        {
            try { lock (Gate) if (!Closed) RoomAvailable(); }
            catch (Exception e) { Diagnostics.CallbackFailed("shaper timer", e); }
        }, null, ms, Timeout.Infinite);
    }

    /// <summary>True when a token bucket shapes this socket's sends.</summary>
    protected bool Shaped => _shaper is not null;

    /// <summary>Applies the granted sending flowspec: token bucket and DSCP mark.</summary>
    protected void ApplySendingQos(FLOWSPEC sending)
    {
        _shaper = TokenBucket.For(sending);
    }

    public void AddReadyWaiter(ThreadContext ctx) { lock (Gate) _readyWaiters.Add(ctx); }
    public void RemoveReadyWaiter(ThreadContext ctx) { lock (Gate) _readyWaiters.Remove(ctx); }

    /// <summary>Wakes threads waiting for any change (select, blocking send, accept, join). Under the lock.</summary>
    public void WakeReadyWaiters()
    {
        foreach (var w in _readyWaiters) w.Waiter.Wake();
    }

    /// <summary>A blocking wait (alertable) until <paramref name="done"/> holds or the timeout passes.</summary>
    protected int WaitFor(Func<bool> done, int timeoutMs)
    {
        var ctx = ThreadContext.Current;
        AddReadyWaiter(ctx);
        try { return Waits.BlockingWait(done, static d => d(), timeoutMs); }
        finally { RemoveReadyWaiter(ctx); }
    }

    // ---- events ----

    public int Select(WSAEVENT ev, HWND? window, uint msg, int mask, bool byWindow)
    {
        if ((mask & ~Ws2Spi.FD_ALL_EVENTS) != 0) return Ws2Spi.WSAEINVAL;
        lock (Gate)
        {
            if (Closed) return Ws2Spi.WSAENOTSOCK;
            if (byWindow)
            {
                if (mask != 0 && !MessageWindows.IsWindow(window)) return Ws2Spi.WSAEINVAL;
                Events.SelectWindow(window, msg, mask);
            }
            else
            {
                if (mask != 0 && !Kernel.Events.TryGet(ev, out _)) return Ws2Spi.WSAEINVAL;
                Events.SelectEvent(ev, mask);
            }
            NonBlocking = true;
            if (Joined && !WriteBlocked) Events.Signal(Ws2Spi.FD_WRITE, 0);
            RefreshEvents();
            return 0;
        }
    }

    public int EnumEvents(WSAEVENT ev, WSANETWORKEVENTS into)
    {
        lock (Gate)
        {
            if (Closed) return Ws2Spi.WSAENOTSOCK;
            if (ev.IsValid && !Provider.Upcalls.WPUResetEvent(ev, out _)) return Ws2Spi.WSAEINVAL;
            Events.TakeRecord(into);
            return 0;
        }
    }

    /// <summary>The granted flowspecs changed: FD_QOS (edge-triggered, once per change).</summary>
    protected void QosChanged(QOS? granted)
    {
        bool changed = Flowspecs.Differs(Qos, granted);
        Qos = granted;
        if (granted is not null) ApplySendingQos(granted.SendingFlowspec);
        if (changed) Events.Signal(Ws2Spi.FD_QOS, 0);
    }

    // ---- ioctls and options ----

    public int Ioctl(uint code, byte[]? input, uint inLen, byte[]? output, uint outLen, out uint returned)
    {
        returned = 0;
        lock (Gate)
        {
            if (Closed) return Ws2Spi.WSAENOTSOCK;
            switch (code)
            {
                case Ws2Spi.FIONBIO:
                    if (input is null || inLen < 4) return Ws2Spi.WSAEFAULT;
                    bool nb = BinaryPrimitives.ReadUInt32LittleEndian(input) != 0;
                    if (!nb && Events.Active) return Ws2Spi.WSAEINVAL;
                    NonBlocking = nb;
                    return 0;
                case Ws2Spi.FIONREAD:
                    if (output is null || outLen < 4) return Ws2Spi.WSAEFAULT;
                    BinaryPrimitives.WriteUInt32LittleEndian(output, (uint)BytesAvailable());
                    returned = 4;
                    return 0;
                case Ws2Spi.SIO_SET_QOS:
                    var q = QosBuffer.FromBytes(input, inLen);
                    if (q is null) return Ws2Spi.WSAEFAULT;
                    if (!Flowspecs.IsValid(q, JoinFlags)) return Ws2Spi.WSAEOPNOTSUPP;
                    if (!Joined) { Qos = q; return 0; }
                    return ChangeQos(q);
                case Ws2Spi.SIO_GET_QOS:
                    Events.Reenable(Ws2Spi.FD_QOS);
                    if (!Joined && Qos is null) return Ws2Spi.WSAENOTCONN; // a sender may not ask before it is connected
                    var bytes = QosBuffer.ToBytes(Qos ?? new QOS { SendingFlowspec = FLOWSPEC.NotSpecified(), ReceivingFlowspec = FLOWSPEC.NotSpecified() });
                    if (output is null || outLen < bytes.Length) return Ws2Spi.WSAEFAULT;
                    bytes.CopyTo(output, 0);
                    returned = (uint)bytes.Length;
                    return 0;
                case Ws2Spi.SIO_SET_GROUP_QOS or Ws2Spi.SIO_GET_GROUP_QOS:
                    return Ws2Spi.WSAEOPNOTSUPP; // socket groups are reserved
                case Ws2Spi.SIOCATMARK:
                    return Ws2Spi.WSAEINVAL; // no urgent data on a message protocol
                default:
                    return Ws2Spi.WSAEINVAL;
            }
        }
    }

    public int GetOption(int level, int optname, byte[] optval, ref int optlen)
    {
        if (optval is null || optlen < 0 || optlen > optval.Length) return Ws2Spi.WSAEFAULT;
        lock (Gate)
        {
            if (Closed) return Ws2Spi.WSAENOTSOCK;
            if (level == Ws2Spi.SOL_SOCKET && optname == Ws2Spi.SO_PROTOCOL_INFOW)
            {
                if (optlen < WSAPROTOCOL_INFOW.Size) return Ws2Spi.WSAEFAULT;
                ProtocolInfoCodec.Write(Info, optval);
                optlen = WSAPROTOCOL_INFOW.Size;
                return 0;
            }
            int? v = level switch
            {
                Ws2Spi.SOL_SOCKET => optname switch
                {
                    Ws2Spi.SO_TYPE => Info.iSocketType,
                    Ws2Spi.SO_ACCEPTCONN => Listening ? 1 : 0,
                    Ws2Spi.SO_ERROR => 0,
                    Ws2Spi.SO_REUSEADDR => ReuseAddress ? 1 : 0,
                    Ws2Spi.SO_RCVTIMEO => RecvTimeoutMs,
                    Ws2Spi.SO_SNDTIMEO => SendTimeoutMs,
                    Ws2Spi.SO_MAX_MSG_SIZE => (int)Info.dwMessageSize,
                    _ => null,
                },
                Ws2Spi.SOL_MULTIPOINT => optname switch
                {
                    Ws2Spi.MP_ADMISSION_CAPACITY => (int)Options.AdmissionCapacity,
                    Ws2Spi.MP_JOIN_TIMEOUT => Options.JoinTimeoutMs,
                    Ws2Spi.MP_HEARTBEAT_INTERVAL => Options.HeartbeatMs,
                    Ws2Spi.MP_SLOW_LEAF_POLICY => Options.SlowLeafPolicy,
                    Ws2Spi.MP_LEAF_QUEUE_LIMIT => Options.LeafQueueLimit,
                    Ws2Spi.MP_ADMISSION_AVAILABLE => (int)Math.Min(int.MaxValue, AdmissionAvailable()),
                    _ => null,
                },
                _ => null,
            };
            if (v is null) return level is Ws2Spi.SOL_SOCKET or Ws2Spi.SOL_MULTIPOINT ? Ws2Spi.WSAENOPROTOOPT : Ws2Spi.WSAEINVAL;
            if (optlen < 4) return Ws2Spi.WSAEFAULT;
            BinaryPrimitives.WriteInt32LittleEndian(optval, v.Value);
            optlen = 4;
            return 0;
        }
    }

    /// <summary>Admission capacity not yet reserved (the root's; others report their own capacity).</summary>
    protected virtual ulong AdmissionAvailable() => Options.AdmissionCapacity;

    public int SetOption(int level, int optname, byte[]? optval, int optlen)
    {
        if (optval is null || optlen < 4 || optlen > optval.Length) return Ws2Spi.WSAEFAULT;
        int v = BinaryPrimitives.ReadInt32LittleEndian(optval);
        lock (Gate)
        {
            if (Closed) return Ws2Spi.WSAENOTSOCK;
            if (level == Ws2Spi.SOL_SOCKET)
            {
                switch (optname)
                {
                    case Ws2Spi.SO_RCVTIMEO: RecvTimeoutMs = Math.Max(0, v); return 0;
                    case Ws2Spi.SO_SNDTIMEO: SendTimeoutMs = Math.Max(0, v); return 0;
                    case Ws2Spi.SO_REUSEADDR: ReuseAddress = v != 0; return 0;
                    default: return Ws2Spi.WSAENOPROTOOPT;
                }
            }
            if (level != Ws2Spi.SOL_MULTIPOINT) return Ws2Spi.WSAEINVAL;
            switch (optname)
            {
                case Ws2Spi.MP_ADMISSION_CAPACITY when v >= 0: Options.AdmissionCapacity = (uint)v; return 0;
                case Ws2Spi.MP_JOIN_TIMEOUT when v > 0: Options.JoinTimeoutMs = v; return 0;
                case Ws2Spi.MP_HEARTBEAT_INTERVAL when v >= 0: Options.HeartbeatMs = v; return 0;
                case Ws2Spi.MP_SLOW_LEAF_POLICY when v is Ws2Spi.MP_POLICY_BACKPRESSURE or Ws2Spi.MP_POLICY_EVICT: Options.SlowLeafPolicy = v; return 0;
                case Ws2Spi.MP_LEAF_QUEUE_LIMIT when v >= RootedLimits.ChunkSize: Options.LeafQueueLimit = v; return 0;
                case Ws2Spi.MP_ADMISSION_CAPACITY or Ws2Spi.MP_JOIN_TIMEOUT or Ws2Spi.MP_HEARTBEAT_INTERVAL
                    or Ws2Spi.MP_SLOW_LEAF_POLICY or Ws2Spi.MP_LEAF_QUEUE_LIMIT:
                    return Ws2Spi.WSAEINVAL;
                default:
                    return Ws2Spi.WSAENOPROTOOPT;
            }
        }
    }

    // ---- shared join helpers ----

    /// <summary>Validates a join's arguments: 0 or WSAEFAULT / WSAEINVAL / WSAEOPNOTSUPP.</summary>
    protected static int CheckJoinArguments(WSABUF? callerData, WSABUF? calleeData, QOS? qos, uint flags)
    {
        if (callerData is { len: > RootedLimits.MaxConnectData }) return Ws2Spi.WSAEFAULT; // before anything is sent
        if (calleeData is not null && !calleeData.IsValid) return Ws2Spi.WSAEFAULT;
        if ((flags & ~(Ws2Spi.JL_SENDER_ONLY | Ws2Spi.JL_RECEIVER_ONLY | Ws2Spi.JL_BOTH)) != 0) return Ws2Spi.WSAEINVAL;
        if (System.Numerics.BitOperations.PopCount(flags) > 1) return Ws2Spi.WSAEINVAL;
        if (qos is not null && !Flowspecs.IsValid(qos, flags)) return Ws2Spi.WSAEOPNOTSUPP;
        return 0;
    }

    /// <summary>The remote address of a join: WSAEADDRNOTAVAIL for the wildcard address or port 0.</summary>
    protected int CheckRemote(IPEndPoint ep)
    {
        if (SockAddr.FamilyOf(ep.AddressFamily) != Family) return Ws2Spi.WSAEAFNOSUPPORT;
        if (ep.Address.Equals(IPAddress.Any) || ep.Address.Equals(IPAddress.IPv6Any) || ep.Port == 0) return Ws2Spi.WSAEADDRNOTAVAIL;
        return 0;
    }

    /// <summary>
    /// A new TCP socket of this socket's family, bound to <paramref name="local"/> if given. SO_REUSEADDR only when
    /// the application set it, or when a join retry rebinds the address this socket already had.
    /// </summary>
    protected Socket NewTcp(IPEndPoint? local, out int errno, bool rebind = false)
    {
        errno = 0;
        var os = new Socket(Family == Ws2Spi.AF_INET6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (Family == Ws2Spi.AF_INET6) os.DualMode = false;
        try
        {
            // SO_REUSEADDR alone (raw): .NET's ReuseAddress also sets SO_REUSEPORT on Linux, which would let a second
            // socket bind a port a root or leaf listens on and share its joins; Winsock says WSAEADDRINUSE.
            if (ReuseAddress || rebind) os.SetRawSocketOption(1 /* SOL_SOCKET */, 2 /* SO_REUSEADDR */, [1, 0, 0, 0]);
            if (local is not null) os.Bind(local);
        }
        catch (SocketException e)
        {
            errno = (int)e.SocketErrorCode;
            os.Dispose();
        }
        return os;
    }

    /// <summary>Starts a nonblocking TCP connect: 0 (connected at once), -1 (in progress) or the error.</summary>
    protected static unsafe int StartConnect(Socket os, IPEndPoint ep)
    {
        os.Blocking = false;
        var linux = LinuxSockAddr.ToLinux(ep);
        int rc, err;
        fixed (byte* p = linux)
        {
            do
            {
                rc = Interop.Libc.connect((int)os.Handle, p, (uint)linux.Length);
                err = rc < 0 ? Interop.Libc.Errno : 0;
            } while (rc < 0 && err == Interop.Errno.EINTR);
        }
        if (rc == 0) return 0;
        return err == Interop.Errno.EINPROGRESS ? -1 : Interop.Errno.ToWinsock(err);
    }

    /// <summary>Admits an accepted join (under the lock): the new socket, or INVALID_SOCKET with the error.</summary>
    protected delegate SOCKET AdmitJoin(Connection c, JoinRequest request, QOS? granted, byte[] calleeData, out int errno);

    /// <summary>
    /// accept/WSAAccept on a listening c_root or c_leaf: takes the oldest queued join request (waiting for one, or
    /// WSAEWOULDBLOCK when nonblocking), runs the condition function, and acts on its verdict: CF_ACCEPT → <paramref name="admit"/>
    /// with the flowspecs the function left (never above what was asked); CF_REJECT → JOIN_REJECT, WSAECONNREFUSED;
    /// CF_DEFER → the request stays first in the queue, WSATRY_AGAIN, FD_ACCEPT not re-enabled; anything else → WSAEINVAL.
    /// </summary>
    protected SOCKET AcceptJoin(LinkedList<Connection> pending, byte[]? addr, ref int addrlen, LPCONDITIONPROC? condition,
        nuint callbackData, AdmitJoin admit, out int errno)
    {
        if (addr is not null && addrlen < SockAddr.SizeOf(Family)) { errno = Ws2Spi.WSAEFAULT; return SOCKET.Invalid; }
        while (true)
        {
            Connection? c = null;
            lock (Gate)
            {
                errno = Closed ? Ws2Spi.WSAENOTSOCK : !Listening ? Ws2Spi.WSAEINVAL : 0;
                if (errno != 0) return SOCKET.Invalid;
                if (pending.First is { } first)
                {
                    c = first.Value;
                    pending.RemoveFirst();
                }
                else if (NonBlocking)
                {
                    Events.Reenable(Ws2Spi.FD_ACCEPT);
                    RefreshEvents();
                    errno = Ws2Spi.WSAEWOULDBLOCK;
                    return SOCKET.Invalid;
                }
            }
            if (c is null)
            {
                int wait = WaitFor(() => { lock (Gate) return pending.Count > 0 || Closed; }, -1);
                if (wait != 0) { errno = wait; return SOCKET.Invalid; }
                continue;
            }
            var request = (JoinRequest)c.Tag!;
            var sqos = request.Qos?.Clone();
            var callee = new WSABUF(new byte[RootedLimits.MaxConnectData]);
            int verdict = RunCondition(condition, c.Remote, LocalEndPoint, request, sqos, callee, callbackData);
            lock (Gate)
            {
                if (c.IsTerminated) continue; // withdrawn while the condition function ran: take the next
                switch (verdict)
                {
                    case Ws2Spi.CF_ACCEPT:
                        Events.Reenable(Ws2Spi.FD_ACCEPT);
                        var granted = request.Qos is null ? null : Flowspecs.Lower(request.Qos, sqos ?? request.Qos);
                        var handle = admit(c, request, granted, CalleeBytes(callee), out errno);
                        RefreshEvents();
                        if (handle.IsValid && addr is not null && c.Remote is { } peer) SockAddr.Write(peer, addr, ref addrlen);
                        return handle;
                    case Ws2Spi.CF_REJECT:
                        c.Enqueue(JoinReject.Encode(Ws2Spi.WSAECONNREFUSED));
                        c.CloseGracefully();
                        Events.Reenable(Ws2Spi.FD_ACCEPT);
                        RefreshEvents();
                        errno = Ws2Spi.WSAECONNREFUSED;
                        return SOCKET.Invalid;
                    case Ws2Spi.CF_DEFER:
                        pending.AddFirst(c);
                        errno = Ws2Spi.WSATRY_AGAIN;
                        return SOCKET.Invalid;
                    default:
                        pending.AddFirst(c);
                        errno = Ws2Spi.WSAEINVAL;
                        return SOCKET.Invalid;
                }
            }
        }
    }

    /// <summary>Starts listening on a bound TCP socket and watching it with the reactor (0 or the error).</summary>
    protected static int StartListening(Socket os, int backlog, IReadyHandler handler, out ulong listenerId)
    {
        listenerId = 0;
        try { os.Listen(Math.Clamp(backlog, 1, 4096)); }
        catch (SocketException e) { return (int)e.SocketErrorCode; }
        os.Blocking = false;
        listenerId = Reactor.Shared.Register((int)os.Handle, handler);
        return 0;
    }

    /// <summary>closesocket on a listening socket (under the lock): queued and half-made joins end, the listener closes.</summary>
    protected static void StopListening(Socket? listener, ulong listenerId, params ICollection<Connection>[] queues)
    {
        foreach (var q in queues)
        {
            foreach (var c in q) c.Abort();
            q.Clear();
        }
        if (listener is null) return;
        if (listenerId != 0) Reactor.Shared.Unregister((int)listener.Handle, listenerId);
        listener.Dispose();
    }

    /// <summary>
    /// The listener is readable (under the lock): every waiting TCP connection becomes a handshaking connection
    /// owned by <paramref name="owner"/>, which must send JOIN_REQUEST within the join timeout.
    /// </summary>
    protected unsafe void AcceptWaiting(Socket listener, IConnectionOwner owner, List<Connection> handshaking)
    {
        while (true)
        {
            int fd = Interop.Libc.accept4((int)listener.Handle, null, null, Interop.Libc.SOCK_NONBLOCK | Interop.Libc.SOCK_CLOEXEC);
            if (fd < 0)
            {
                if (Interop.Libc.Errno == Interop.Errno.EINTR) continue;
                return;
            }
            handshaking.Add(new Connection(owner, new Socket(new SafeSocketHandle(fd, true)), connecting: false, Options.HeartbeatMs)
            {
                JoinDeadline = Environment.TickCount64 + Options.JoinTimeoutMs,
            });
        }
    }

    /// <summary>
    /// The condition function's verdict, with its exceptions turned into an invalid verdict. As on Windows, the
    /// callee buffer arrives with len = the space available and the function sets len to what it wrote (0 = no reply).
    /// </summary>
    protected static int RunCondition(LPCONDITIONPROC? condition, IPEndPoint? caller, IPEndPoint? callee, JoinRequest request,
        QOS? sqos, WSABUF calleeData, nuint callbackData)
    {
        if (condition is null)
        {
            calleeData.len = 0; // accept without a condition function: no callee data
            return Ws2Spi.CF_ACCEPT;
        }
        try
        {
            var callerId = caller is null ? null : new WSABUF(SockAddr.From(caller));
            var calleeId = callee is null ? null : new WSABUF(SockAddr.From(callee));
            var callerData = request.CallerData.Length == 0 ? null : new WSABUF(request.CallerData);
            return condition(callerId, callerData, sqos, null, calleeId, calleeData, out _, callbackData);
        }
        catch (Exception e)
        {
            Diagnostics.CallbackFailed("condition function", e);
            return -1;
        }
    }

    /// <summary>The callee data the condition function left (len bytes of buf), bounded by the documented maximum.</summary>
    protected static byte[] CalleeBytes(WSABUF calleeData)
    {
        int n = (int)Math.Min(calleeData.len, (uint)Math.Min(calleeData.buf?.Length ?? 0, RootedLimits.MaxConnectData));
        return n == 0 ? [] : calleeData.buf.AsSpan(0, n).ToArray();
    }
}
