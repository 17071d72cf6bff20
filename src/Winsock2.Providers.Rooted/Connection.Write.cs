using System.Net.Sockets;
using System.Runtime.InteropServices;
using Winsock2.Interop;
using Winsock2.Providers.Rooted.Wire;

namespace Winsock2.Providers.Rooted;

/// <summary>The writer side of a connection: gathering the shared stream and its own frames in order into sendmsg.</summary>
internal sealed partial class Connection
{
    private const int MaxGather = 64;
    private const int MaxWriteBytes = 256 * 1024;

    /// <summary>
    /// Test seam: runs on the writer thread with sendmsg's result, before that result is recorded under the
    /// lock (the window in which the write is in flight). Null outside tests.
    /// </summary>
    internal Action<long>? WriteReturned;

    /// <summary>What paces this connection's writes (root → leaf: the leaf's receiving grant); unpaced by default.</summary>
    private readonly QosShaper _pace = new();

    /// <summary>
    /// Paces everything this connection writes (its share of the shared stream and its own frames) at the
    /// flowspec's token rate, or not at all (null, or no finite rate). Under the lock.
    /// </summary>
    public void Pace(FLOWSPEC? flowspec)
    {
        _pace.Apply(flowspec);
        if (HasPending) Writer.Schedule(this); // nothing queued (a join's admission): no writer wake-up for nothing
    }

    /// <summary>A plain read first: while already scheduled (a busy sender appending), no locked instruction per message.</summary>
    public bool TrySchedule() => Volatile.Read(ref _scheduled) == 0 && Interlocked.Exchange(ref _scheduled, 1) == 0;
    public void Unschedule() => Volatile.Write(ref _scheduled, 0);

    /// <summary>The gathered segments of one write, reused per thread; read only until the write's result is recorded.</summary>
    [ThreadStatic] private static List<ArraySegment<byte>>? t_segments;

    public unsafe void Flush()
    {
        var segments = t_segments ??= new List<ArraySegment<byte>>(MaxGather);
        segments.Clear();
        bool paced;
        FanOutStream? pinnedStream;
        long pinnedAt;
        lock (Owner.Gate)
        {
            if (IsTerminated)
            {
                ReportEnd();
                return;
            }
            // Another thread's write is in flight (the writer's, or a committing thread's): when it returns it schedules
            // what is left, so this one stops here rather than gather the same bytes twice.
            if (_connecting || _waitingWritable || _inFlight != 0) return;
            // Pacing is for data: a control frame next (join answer, QoS update, heartbeat, LEAVE) goes at once, uncounted.
            int control = _pace.Active ? ControlFrameNext() : 0;
            int wait = control > 0 ? 0 : _pace.DelayMs();
            if (wait > 0)
            {
                _pace.ArmOnce(wait, () => Writer.Schedule(this)); // the writer comes back when the tokens do
                return;
            }
            paced = control == 0;
            Collect(segments, control > 0 ? control : _pace.Quantum(MaxWriteBytes));
            if (segments.Count == 0)
            {
                if (_closeAfterFlush && !_lingering) FinishClose();
                return;
            }
            foreach (var s in segments) _inFlight += s.Count;
            pinnedStream = ReceivesStream ? Owner.Stream : null;
            pinnedAt = StreamPosition;
            pinnedStream?.Pin(pinnedAt); // its chunks stay until this write returned
        }
        nint n;
        int err;
        Libc.iovec* iov = stackalloc Libc.iovec[segments.Count];
        using (var pinned = new PinnedIovecs(new GCHandle[segments.Count], iov))
        {
            foreach (var segment in segments) pinned.Add(segment, 0);
            do n = SocketCalls.SendMsg(_handle, pinned.Iov, pinned.Count, null, 0, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL, out err);
            while (n < 0 && err == Errno.EINTR);
        }
        WriteReturned?.Invoke(n);
        lock (Owner.Gate)
        {
            _inFlight = 0; // the write's result is recorded below: from here the backlog is exact again
            pinnedStream?.Unpin(pinnedAt);
            if (IsTerminated || (n < 0 && err == SocketCalls.EBADF)) return; // EBADF: the socket was closed meanwhile
            if (n < 0)
            {
                if (err == Errno.EAGAIN) { ParkUntilWritable(); return; }
                End(Ws2Spi.WSAECONNRESET, abort: true);
                return;
            }
            Advance((int)n);
            if (paced) _pace.Consume((int)n);
            LastSent = Environment.TickCount64;
            int total = 0;
            foreach (var s in segments) total += s.Count;
            segments.Clear(); // the frames are not held past the write
            if (n < total) ParkUntilWritable(); // the socket is full: EPOLLOUT resumes
            else if (HasPending) Writer.Schedule(this);
            else if (_closeAfterFlush) FinishClose();
            Owner.OnWritten(this);
        }
    }

    /// <summary>Set once the root heard that this ended connection holds nothing back any more (<see cref="ReportEnd"/>).</summary>
    private bool _endReported;

    /// <summary>
    /// The connection ended (the writer's turn that <see cref="Terminate"/> scheduled, under the lock). A root's
    /// connection to a leaf no longer holds the shared stream back, so the root recomputes the slowest position and its
    /// waiting sends learn of the room (<see cref="RootSocket.LeafWrote"/>). Nothing else would tell it when the
    /// connection was draining — its per-leaf socket closed, <see cref="RootSocket.LeafLeft"/> already done — and then
    /// reset, died or was aborted at its linger bound: the root's sends waiting for room would wait for ever. It runs
    /// here, on the writer thread, never inside the call chain that ended the connection (an eviction in the middle of
    /// a send, a relay).
    /// </summary>
    private void ReportEnd()
    {
        if (_endReported || Owner is not LeafHandle { Root: var root }) return;
        _endReported = true;
        root.LeafWrote();
        if (root.RelaysLeafData) root.ResumeRelaySources(); // members whose reading stopped for this one's full queue
    }

    /// <summary>
    /// Waits for EPOLLOUT before writing again. The write ran outside the lock, so the edge may already have
    /// fired (and been ignored) meanwhile: poll under the lock first. The reactor reads the flag under the
    /// same lock, so no edge can fall between this check and the flag.
    /// </summary>
    private void ParkUntilWritable()
    {
        if ((SocketCalls.PollNow(_handle, Libc.POLLOUT) & Libc.POLLOUT) != 0) Writer.Schedule(this);
        else
        {
            _waitingWritable = true;
            WatchWritable(); // a joiner's registration may not report EPOLLOUT yet (Connection.Watch)
        }
    }

    /// <summary>The bytes left of this connection's own control frame when it is what goes next (not DATA, not the shared stream), else 0.</summary>
    private int ControlFrameNext()
    {
        if (_private.First is not { } node) return 0;
        if (ReceivesStream && Owner.Stream is { } st && StreamPosition < Math.Min(node.Value.Tag, StreamEnd(st))) return 0;
        var f = node.Value.Frame;
        return (FrameType)f[3] is FrameType.Data or FrameType.DataMore ? 0 : f.Length - _privateOffset;
    }

    private bool HasPending => _private.Count > 0 || (ReceivesStream && Owner.Stream is { } st && StreamPosition < StreamEnd(st));

    /// <summary>Gathers the next bytes in order: stream bytes up to the next own frame's tag, then that frame, and so on.</summary>
    private void Collect(List<ArraySegment<byte>> into, int maxBytes)
    {
        var stream = ReceivesStream ? Owner.Stream : null;
        long pos = StreamPosition;
        int bytes = 0, skip = _privateOffset;
        var node = _private.First;
        while (into.Count < MaxGather && bytes < maxBytes)
        {
            long limit = node?.Value.Tag ?? long.MaxValue;
            if (stream is not null && pos < Math.Min(limit, StreamEnd(stream)))
            {
                int got = stream.Collect(pos, Math.Min(limit, StreamEnd(stream)), into, maxBytes - bytes, MaxGather);
                if (got == 0) break;
                pos += got;
                bytes += got;
                continue;
            }
            if (node is null) break;
            var f = node.Value.Frame;
            int take = Math.Min(f.Length - skip, maxBytes - bytes);
            into.Add(new ArraySegment<byte>(f, skip, take));
            bytes += take;
            if (skip + take < f.Length) break; // the rest of this frame goes in a later write
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
}
