using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Winsock2.Interop;
using Winsock2.Providers.Rooted.Wire;
using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// One TCP connection between the root and a leaf: frames in through the reactor and a bounded decoder,
/// frames out through the writer (the root's shared stream from <see cref="StreamPosition"/>, interleaved
/// with this connection's own frames in order), heartbeats, and an orderly or abortive end.
/// State is guarded by the owner's session lock, except what only the reactor or only the writer touches.
/// This part: state, queueing, closing, the timer's checks and the DSCP mark; reading is in Connection.Read.cs,
/// writing in Connection.Write.cs.
/// </summary>
internal sealed partial class Connection : IReadyHandler, IFlushable
{
    /// <summary>Connections closing gracefully whose LEAVE is not written yet.</summary>
    private static readonly ConcurrentDictionary<Connection, byte> Closing = new();

    /// <summary>How long a process that exits waits for its graceful closes to reach the wire.</summary>
    public const int ExitDrainMs = 2_000;

    static Connection()
    {
        // On Windows the kernel finishes a graceful close after closesocket returns, even if the process exits.
        // Here the process is the one that writes, so it finishes them (bounded) before it goes.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DrainOnExit();
    }

    private static void DrainOnExit()
    {
        long deadline = Environment.TickCount64 + ExitDrainMs;
        while (!Closing.IsEmpty && Environment.TickCount64 < deadline) Thread.Sleep(5);
    }

    private readonly Socket _os;
    /// <summary>The descriptor number, only as the reactor's key (registered while open); calls go through <see cref="_handle"/>.</summary>
    private readonly int _fd;
    /// <summary>The socket's handle for <see cref="SocketCalls"/>: each call holds it, so the descriptor cannot be closed (and reused) under the call.</summary>
    private readonly SafeSocketHandle _handle;
    private ulong _reactorId;
    /// <summary>Where a connect in progress goes (null: the kernel is asked once it finished).</summary>
    private readonly IPEndPoint? _connectingTo;
    private readonly FrameDecoder _decoder = new(RootedLimits.MaxMessage) { JoinPhase = true };
    private readonly LinkedList<(long Tag, byte[] Frame)> _private = new();
    private int _privateOffset;   // bytes of the first private frame already written
    /// <summary>
    /// Bytes the writer has collected and is handing to sendmsg outside the lock, 0 between writes. They leave the
    /// queue when the write returns, but the peer may have them before that (see <see cref="Untaken"/>).
    /// </summary>
    private int _inFlight;
    private int _scheduled;
    private bool _waitingWritable, _connecting, _leaveSeen, _lingering, _closeAfterFlush;
    /// <summary>The reactor reports EPOLLOUT for it (all registrations but a joiner's until its first full buffer: Watch).</summary>
    private bool _outWatched = true;

    // watch: false — the reactor watches it only from Watch() (a joiner registers it once it released the session lock).
    // peer — the remote address when the caller knows it (the address a joiner connects to, the one accept returned):
    // the kernel is then not asked (getpeername), for a connect in progress not even once it finished.
    // accepted — taken from a listener of StartListening: Linux gives it the listener's TCP_NODELAY, set there once.
    public Connection(IConnectionOwner owner, Socket os, bool connecting, int heartbeatMs, bool watch = true, IPEndPoint? peer = null,
        bool accepted = false)
    {
        Owner = owner;
        _os = os;
        if (_os.Blocking) _os.Blocking = false; // an accepted or joining socket already is: no fcntl pair per join
        if (!accepted) _os.NoDelay = true;
        _fd = (int)_os.Handle;
        _handle = _os.SafeHandle;
        _connecting = connecting;
        HeartbeatMs = heartbeatMs;
        LastReceived = LastSent = Environment.TickCount64;
        if (connecting) _connectingTo = peer; // Remote once the connect finished (FinishConnect)
        else Remote = peer ?? SocketCalls.EndPoint(_handle, peer: true);
        if (watch) _reactorId = Reactor.Shared.Register(_fd, this);
        Heartbeats.Add(this);
    }

    public IConnectionOwner Owner { get; set; }
    /// <summary>The descriptor number, only to poll it (a thread that does the reactor's work for a handshake).</summary>
    public int Fd => _fd;
    public IPEndPoint? Remote { get; private set; }
    /// <summary>Asked of the kernel: System.Net.Sockets does not know the endpoints of a socket connected through libc.</summary>
    public IPEndPoint? Local => IsTerminated ? null : SocketCalls.EndPoint(_handle, peer: false);
    public Socket OsSocket => _os;

    /// <summary>Next byte of the root's shared stream this connection writes (root side).</summary>
    public long StreamPosition;
    /// <summary>False for JL_SENDER_ONLY leaves: they get no multipoint data.</summary>
    public bool ReceivesStream;
    /// <summary>Where this connection's share of the shared stream ends (set when it closes: nothing after LEAVE).</summary>
    public long StreamLimit = long.MaxValue;

    /// <summary>The end of the shared stream as far as this connection is concerned.</summary>
    private long StreamEnd(FanOutStream stream) => Math.Min(stream.End, StreamLimit);

    /// <summary>True while it still has shared-stream bytes to write (the root must keep those chunks).</summary>
    public bool NeedsStream => ReceivesStream && !IsTerminated && Owner.Stream is { } st && StreamPosition < StreamEnd(st);
    /// <summary>Bytes of this connection's own frames not yet written.</summary>
    public long PrivateBytes { get; private set; }
    public int HeartbeatMs;
    /// <summary>Tick count after which an unfinished join fails with WSAETIMEDOUT (0 = none).</summary>
    public long JoinDeadline;
    /// <summary>Heartbeats flow, and frames other than the join's are accepted, only once the join is established.</summary>
    public bool Established
    {
        get => _established;
        set
        {
            _established = value;
            _decoder.JoinPhase = !value;
        }
    }
    private bool _established;
    public long LastReceived, LastSent;
    public bool IsTerminated { get; private set; }
    /// <summary>Anything the owner wants to remember with the connection (a pending join request).</summary>
    public object? Tag;

    /// <summary>Queues one of this connection's own frames after everything queued so far.</summary>
    public void Enqueue(byte[] frame)
    {
        if (IsTerminated || _closeAfterFlush) return;
        _private.AddLast((Owner.Stream?.End ?? 0, frame));
        PrivateBytes += frame.Length;
        Writer.Schedule(this);
    }

    /// <summary>Bytes queued for this connection: shared stream backlog plus its own frames.</summary>
    public long Backlog(long streamEnd) => (ReceivesStream ? Math.Min(streamEnd, StreamLimit) - StreamPosition : 0) + PrivateBytes;

    /// <summary>
    /// Bytes queued for this connection that no write has taken yet: the backlog less a write in flight. While the
    /// writer is between sendmsg and recording its result, the peer may already have read those bytes (and its
    /// application answered, and the root sent more): judging the leaf on them would call a leaf that keeps up slow.
    /// </summary>
    public long Untaken(long streamEnd) => Math.Max(0, Backlog(streamEnd) - _inFlight);

    /// <summary>Ends with LEAVE: everything queued goes first, then LEAVE, then FIN; reads drain until the peer closes.</summary>
    public void CloseGracefully()
    {
        if (IsTerminated || _closeAfterFlush) return;
        StreamLimit = Owner.Stream?.End ?? 0; // everything appended so far goes first, nothing after LEAVE
        _private.AddLast((StreamLimit, Frame.Make(FrameType.Leave, [])));
        PrivateBytes += Frame.HeaderSize;
        _closeAfterFlush = true;
        Closing.TryAdd(this, 0);
        JoinDeadline = Environment.TickCount64 + 5_000; // linger bound
        Writer.Schedule(this);
    }

    /// <summary>Ends at once with a reset.</summary>
    public void Abort()
    {
        if (IsTerminated) return;
        try { _os.LingerState = new LingerOption(true, 0); } catch (Exception) { }
        Terminate();
    }

    private void Terminate()
    {
        if (IsTerminated) return;
        IsTerminated = true;
        Closing.TryRemove(this, out _);
        Interlocked.MemoryBarrier(); // pairs with Watch's: a registration made meanwhile is seen here or undone there
        Reactor.Shared.Unregister(_handle, Volatile.Read(ref _reactorId)); // through the handle: never a number reused since
        Heartbeats.Remove(this);
        _private.Clear();
        PrivateBytes = 0;
        try { _os.Dispose(); } catch (Exception e) { Diagnostics.InternalFailure("rooted close", e); }
        Writer.Schedule(this); // a root learns on the writer's turn that it holds nothing back any more (ReportEnd)
    }

    // ---- timer side ----

    public void Tick(long now)
    {
        bool send = false;
        lock (Owner.Gate)
        {
            if (IsTerminated) return;
            if (JoinDeadline != 0 && now > JoinDeadline)
            {
                if (_lingering || _closeAfterFlush) { Abort(); return; }
                End(Ws2Spi.WSAETIMEDOUT, abort: true);
                return;
            }
            if (!Established || HeartbeatMs <= 0) return;
            // Reading stopped for a full receive buffer: the peer's bytes wait in the kernel, unread by choice.
            if (_readPaused) LastReceived = now;
            if (now - LastReceived > 3L * HeartbeatMs)
            {
                // Bytes already waiting in the kernel mean the peer spoke and the reactor has not read them yet.
                if ((SocketCalls.PollNow(_handle, Libc.POLLIN) & Libc.POLLIN) != 0) { LastReceived = now; return; }
                End(Ws2Spi.WSAENETRESET, abort: true); // the peer went silent: dead host or cut link
                return;
            }
            send = now - LastSent >= HeartbeatMs && _private.Count == 0;
        }
        if (send) lock (Owner.Gate) Enqueue(Frame.Make(FrameType.Heartbeat, []));
    }

    /// <summary>Skips the shared stream up to its end (a leaf that must not receive what was sent before it joined).</summary>
    public void StartAtStreamEnd() => StreamPosition = Owner.Stream?.End ?? 0;

    /// <summary>Sets the DSCP mark of the connection's packets (IP_TOS / IPV6_TCLASS).</summary>
    public void SetDscp(int dscp)
    {
        try
        {
            int tos = dscp << 2;
            if (_os.AddressFamily == AddressFamily.InterNetworkV6) _os.SetRawSocketOption(41, 67, BitConverter.GetBytes(tos));
            else _os.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.TypeOfService, tos);
        }
        catch (SocketException e) { Diagnostics.CallbackFailed("DSCP", e); }
    }

    /// <summary>The DSCP mark now on the connection.</summary>
    public int GetDscp()
    {
        try
        {
            if (_os.AddressFamily == AddressFamily.InterNetworkV6)
            {
                var b = new byte[4];
                _os.GetRawSocketOption(41, 67, b);
                return BitConverter.ToInt32(b) >> 2;
            }
            return (int)_os.GetSocketOption(SocketOptionLevel.IP, SocketOptionName.TypeOfService)! >> 2;
        }
        catch (SocketException) { return -1; }
    }
}
