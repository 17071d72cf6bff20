using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
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
/// </summary>
internal sealed class Connection : IReadyHandler, IFlushable
{
    private const int MaxGather = 64;
    private const int MaxWriteBytes = 256 * 1024;
    /// <summary>Reads happen only on the reactor thread, so one buffer serves every connection.</summary>
    private static readonly byte[] ReadBuffer = new byte[256 * 1024];

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
    private readonly int _fd;
    private readonly ulong _reactorId;
    private readonly FrameDecoder _decoder = new(RootedLimits.MaxMessage);
    private readonly LinkedList<(long Tag, byte[] Frame)> _private = new();
    private int _privateOffset;   // bytes of the first private frame already written
    private int _scheduled;
    private bool _waitingWritable, _connecting, _leaveSeen, _lingering, _closeAfterFlush;

    public Connection(IConnectionOwner owner, Socket os, bool connecting, int heartbeatMs)
    {
        Owner = owner;
        _os = os;
        _os.Blocking = false;
        _os.NoDelay = true;
        _fd = (int)_os.Handle;
        _connecting = connecting;
        HeartbeatMs = heartbeatMs;
        LastReceived = LastSent = Environment.TickCount64;
        Remote = Libc.EndPoint(_fd, peer: true);
        _reactorId = Reactor.Shared.Register(_fd, this);
        Heartbeats.Add(this);
    }

    public IConnectionOwner Owner { get; set; }
    public IPEndPoint? Remote { get; private set; }
    /// <summary>Asked of the kernel: System.Net.Sockets does not know the endpoints of a socket connected through libc.</summary>
    public IPEndPoint? Local => IsTerminated ? null : Libc.EndPoint(_fd, peer: false);
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
    /// <summary>Heartbeats flow only once the join is established.</summary>
    public bool Established;
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
        Reactor.Shared.Unregister(_fd, _reactorId);
        Heartbeats.Remove(this);
        _private.Clear();
        PrivateBytes = 0;
        try { _os.Dispose(); } catch (Exception e) { Diagnostics.CallbackFailed("rooted close", e); }
    }

    // ---- reactor side ----

    public void OnReady(uint events)
    {
        if (_connecting)
        {
            if ((events & (Libc.EPOLLOUT | Libc.EPOLLERR | Libc.EPOLLHUP)) == 0) return;
            int err = Errno.ToWinsock(Libc.SocketError(_fd));
            lock (Owner.Gate)
            {
                if (IsTerminated) return;
                _connecting = false;
                if (err == 0) Remote = Libc.EndPoint(_fd, peer: true);
                Owner.OnConnected(this, err);
                if (err != 0) { Terminate(); return; }
            }
        }
        if ((events & Libc.EPOLLOUT) != 0)
        {
            bool again;
            lock (Owner.Gate) { again = _waitingWritable; _waitingWritable = false; }
            if (again) Writer.Schedule(this);
        }
        if ((events & (Libc.EPOLLIN | Libc.EPOLLRDHUP | Libc.EPOLLHUP | Libc.EPOLLERR)) != 0) ReadAll();
    }

    private void ReadAll()
    {
        lock (Owner.Gate) ReadAvailable(ReadBuffer);
    }

    /// <summary>
    /// Reads (nonblocking, under the session lock) until the socket has nothing more, feeding the decoder; frames
    /// go to the owner. The reactor calls it on readiness, and a receiving thread that found its inbox empty may
    /// call it too (it then does not wait for the reactor). Reading under the lock keeps the stream in order.
    /// </summary>
    public unsafe void ReadAvailable(byte[] buffer)
    {
        while (!IsTerminated)
        {
            nint n;
            int err;
            bool held = false;
            try
            {
                _os.SafeHandle.DangerousAddRef(ref held); // the fd cannot be closed (and reused) under the call
                fixed (byte* p = buffer)
                {
                    var iov = new Libc.iovec { iov_base = p, iov_len = (nuint)buffer.Length };
                    var msg = new Libc.msghdr { msg_iov = &iov, msg_iovlen = 1 };
                    n = Libc.recvmsg(_fd, &msg, Libc.MSG_DONTWAIT);
                }
                err = n < 0 ? Libc.Errno : 0;
            }
            catch (ObjectDisposedException) { return; }
            finally { if (held) _os.SafeHandle.DangerousRelease(); }
            if (n > 0)
            {
                LastReceived = Environment.TickCount64;
                if (_lingering) continue;
                if (!_decoder.Feed(buffer.AsSpan(0, (int)n), Dispatch))
                {
                    if (IsTerminated || _leaveSeen) return;
                    End(Ws2Spi.WSAECONNABORTED, abort: true); // malformed or hostile peer: drop this connection only
                    return;
                }
                continue;
            }
            if (n == 0)
            {
                if (_lingering || _leaveSeen) { Terminate(); return; }
                // FIN without LEAVE: the peer died or was killed; a cut frame is a protocol violation.
                End(_decoder.MidFrame ? Ws2Spi.WSAECONNABORTED : Ws2Spi.WSAECONNRESET, abort: false);
                return;
            }
            if (err == Errno.EINTR) continue;
            if (err == Errno.EAGAIN) return;
            if (_lingering || _leaveSeen) { Terminate(); return; }
            End(Errno.ToWinsock(err) is var code && code == Ws2Spi.WSAETIMEDOUT ? Ws2Spi.WSAENETRESET : Ws2Spi.WSAECONNRESET, abort: false);
            return;
        }
    }

    private void Dispatch(FrameType type, byte[] payload)
    {
        switch (type)
        {
            case FrameType.Heartbeat:
                return;
            case FrameType.Leave:
                _leaveSeen = true;
                Owner.OnClosed(this, 0);
                if (!IsTerminated) BeginLinger();
                return;
            default:
                Owner.OnFrame(this, type, payload);
                return;
        }
    }

    /// <summary>The peer said LEAVE: stop sending, half-close, and drain until it closes.</summary>
    private void BeginLinger()
    {
        _lingering = true;
        _private.Clear();
        PrivateBytes = 0;
        ReceivesStream = false;
        JoinDeadline = Environment.TickCount64 + 5_000;
        try { _os.Shutdown(SocketShutdown.Send); } catch (Exception) { }
    }

    /// <summary>Reports the end to the owner (once) and closes.</summary>
    public void End(int error, bool abort)
    {
        if (IsTerminated) return;
        Owner.OnClosed(this, error);
        if (abort) Abort(); else Terminate();
    }

    /// <summary>Marks the stream malformed from a frame handler (the caller ends the connection).</summary>
    public void Reject(string why) => _decoder.Fail(why);

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
            if (now - LastReceived > 3L * HeartbeatMs)
            {
                // Bytes already waiting in the kernel mean the peer spoke and the reactor has not read them yet.
                if ((Libc.PollNow(_fd, Libc.POLLIN) & Libc.POLLIN) != 0) { LastReceived = now; return; }
                End(Ws2Spi.WSAENETRESET, abort: true); // the peer went silent: dead host or cut link
                return;
            }
            send = now - LastSent >= HeartbeatMs && _private.Count == 0;
        }
        if (send) lock (Owner.Gate) Enqueue(Frame.Make(FrameType.Heartbeat, []));
    }

    // ---- writer side ----

    public bool TrySchedule() => Interlocked.Exchange(ref _scheduled, 1) == 0;
    public void Unschedule() => Volatile.Write(ref _scheduled, 0);

    public unsafe void Flush()
    {
        var segments = new List<ArraySegment<byte>>(MaxGather);
        lock (Owner.Gate)
        {
            if (IsTerminated || _connecting || _waitingWritable) return;
            Collect(segments);
            if (segments.Count == 0)
            {
                if (_closeAfterFlush && !_lingering) FinishClose();
                return;
            }
        }
        var handles = new GCHandle[segments.Count];
        var iov = stackalloc Libc.iovec[segments.Count];
        nint n;
        int err;
        bool held = false;
        try
        {
            _os.SafeHandle.DangerousAddRef(ref held); // the fd cannot be closed (and reused) under the call
            for (int i = 0; i < segments.Count; i++)
            {
                handles[i] = GCHandle.Alloc(segments[i].Array, GCHandleType.Pinned);
                iov[i].iov_base = (byte*)handles[i].AddrOfPinnedObject() + segments[i].Offset;
                iov[i].iov_len = (nuint)segments[i].Count;
            }
            var msg = new Libc.msghdr { msg_iov = iov, msg_iovlen = (nuint)segments.Count };
            do
            {
                n = Libc.sendmsg(_fd, &msg, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
                err = n < 0 ? Libc.Errno : 0;
            } while (n < 0 && err == Errno.EINTR);
        }
        catch (ObjectDisposedException) { return; }
        finally
        {
            foreach (var h in handles) if (h.IsAllocated) h.Free();
            if (held) _os.SafeHandle.DangerousRelease();
        }
        lock (Owner.Gate)
        {
            if (IsTerminated) return;
            if (n < 0)
            {
                if (err == Errno.EAGAIN) { ParkUntilWritable(); return; }
                End(Ws2Spi.WSAECONNRESET, abort: true);
                return;
            }
            Advance((int)n);
            LastSent = Environment.TickCount64;
            int total = 0;
            foreach (var s in segments) total += s.Count;
            if (n < total) ParkUntilWritable(); // the socket is full: EPOLLOUT resumes
            else if (HasPending) Writer.Schedule(this);
            else if (_closeAfterFlush) FinishClose();
            Owner.OnWritten(this);
        }
    }

    /// <summary>
    /// Waits for EPOLLOUT before writing again. The write ran outside the lock, so the edge may already have
    /// fired (and been ignored) meanwhile: poll under the lock first. The reactor reads the flag under the
    /// same lock, so no edge can fall between this check and the flag.
    /// </summary>
    private void ParkUntilWritable()
    {
        if ((Libc.PollNow(_fd, Libc.POLLOUT) & Libc.POLLOUT) != 0) Writer.Schedule(this);
        else _waitingWritable = true;
    }

    private bool HasPending => _private.Count > 0 || (ReceivesStream && Owner.Stream is { } st && StreamPosition < StreamEnd(st));

    /// <summary>Gathers the next bytes in order: stream bytes up to the next own frame's tag, then that frame, and so on.</summary>
    private void Collect(List<ArraySegment<byte>> into)
    {
        var stream = ReceivesStream ? Owner.Stream : null;
        long pos = StreamPosition;
        int bytes = 0, skip = _privateOffset;
        var node = _private.First;
        while (into.Count < MaxGather && bytes < MaxWriteBytes)
        {
            long limit = node?.Value.Tag ?? long.MaxValue;
            if (stream is not null && pos < Math.Min(limit, StreamEnd(stream)))
            {
                int got = stream.Collect(pos, Math.Min(limit, StreamEnd(stream)), into, MaxWriteBytes - bytes, MaxGather);
                if (got == 0) break;
                pos += got;
                bytes += got;
                continue;
            }
            if (node is null) break;
            var f = node.Value.Frame;
            into.Add(new ArraySegment<byte>(f, skip, f.Length - skip));
            bytes += f.Length - skip;
            skip = 0;
            node = node.Next;
        }
    }

    /// <summary>Consumes <paramref name="n"/> written bytes in the order <see cref="Collect"/> gathered them.</summary>
    private void Advance(int n)
    {
        var stream = ReceivesStream ? Owner.Stream : null;
        while (n > 0)
        {
            var node = _private.First;
            long limit = node?.Value.Tag ?? long.MaxValue;
            if (stream is not null && StreamPosition < Math.Min(limit, StreamEnd(stream)))
            {
                long take = Math.Min(n, Math.Min(limit, StreamEnd(stream)) - StreamPosition);
                StreamPosition += take;
                n -= (int)take;
                continue;
            }
            if (node is null) break;
            int left = node.Value.Frame.Length - _privateOffset;
            int used = Math.Min(left, n);
            _privateOffset += used;
            PrivateBytes -= used;
            n -= used;
            if (_privateOffset == node.Value.Frame.Length)
            {
                _private.RemoveFirst();
                _privateOffset = 0;
            }
        }
    }

    private void FinishClose()
    {
        Closing.TryRemove(this, out _); // LEAVE and everything before it are written
        _lingering = true;
        try { _os.Shutdown(SocketShutdown.Send); } catch (Exception) { Terminate(); }
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
