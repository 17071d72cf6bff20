using Winsock2.Providers.Core;
using Winsock2.Providers.Rooted.Wire;

namespace Winsock2.Providers.Rooted;

/// <summary>The root's sends: framed once into the shared stream, written by every receiving leaf's connection from its own position.</summary>
internal sealed partial class RootSocket
{
    public override int Send(WSABUF[] buffers, uint count, out uint sent, uint flags, WSAOVERLAPPED? ov,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno) =>
        SendMessage(buffers, count, out sent, flags, ov, routine, threadId, out errno);

    protected override bool RoomFor(int length) => HasRoom(length);

    /// <summary>
    /// SIO_SET_QOS on the c_root: its sending flowspec shapes what the root sends to every leaf (the leaves' own
    /// grants are made on their per-leaf sockets, under admission). In force at once; FD_QOS when it changed.
    /// </summary>
    protected override int ChangeQos(QOS q)
    {
        QosChanged(q);
        return 0;
    }

    protected override bool HasRoomNow(int length) =>
        Options.SlowLeafPolicy == Ws2Spi.MP_POLICY_EVICT || Fits(Stream.End - _minPosition, length + Frame.HeaderSize);

    /// <summary>Frames the message once into the shared stream; every leaf writes these same bytes.</summary>
    protected override void AppendMessage(IoRequest r)
    {
        Stream.Append(DataFrame.TypeOf(r), r);
        if (_leaves.Count == 0) _minPosition = Stream.End;
        Writer.Schedule(this);
    }

    /// <summary>A RIO send's message, framed once into the shared stream (copied: the send's slice is free at once).</summary>
    protected override void AppendRio(ReadOnlySpan<byte> message)
    {
        Stream.Append(FrameType.Data, message);
        if (_leaves.Count == 0) _minPosition = Stream.End;
    }

    /// <summary>A batch of RIO sends appended on a turn other than a commit (room came back): the writer is told once.</summary>
    protected override void RioAppended() => Writer.Schedule(this);

    /// <summary>
    /// After a commit, on the application's thread, as a sender of hand-batched buffers writes its own: every leaf
    /// writes what it can without blocking (the bytes were just appended by this thread, still in its cache); a leaf
    /// whose socket is full waits for EPOLLOUT and the writer, as before.
    /// </summary>
    protected override void RioCommitted()
    {
        try { Flush(); }
        catch (Exception e) { Winsock2.Kernel.Diagnostics.InternalFailure("rooted commit flush", e); } // the commit itself succeeded
    }

    protected override (Inbox Inbox, LeafHandle? Filter)? RioInbox => (Inbox, null);

    /// <summary>
    /// Room in every receiving leaf's queue (backpressure). Under the eviction policy the root never waits for a
    /// leaf: every leaf over its queue limit is dropped (FD_CLOSE with WSAECONNABORTED on its socket), so the
    /// others keep full speed. A leaf is judged on the bytes no write has taken (<see cref="Connection.Untaken"/>):
    /// a write in flight may already be in its application's hands.
    /// </summary>
    private bool HasRoom(int length)
    {
        long need = length + Frame.HeaderSize;
        if (Fits(Stream.End - _minPosition, need)) return true;
        if (Options.SlowLeafPolicy != Ws2Spi.MP_POLICY_EVICT) return false;
        // One pass, no allocation unless a leaf goes: the minimum may be stale (it only ever lags), so the leaves are judged afresh.
        List<Connection>? evict = null;
        foreach (var leaf in _leaves)
        {
            if (leaf.Conn is { ReceivesStream: true, IsTerminated: false } c && c.Untaken(Stream.End) + need > Options.LeafQueueLimit)
                (evict ??= new()).Add(c);
        }
        if (evict is not null)
            foreach (var c in evict) c.End(Ws2Spi.WSAECONNABORTED, abort: true);
        RecomputeMinimum();
        return true;
    }

    /// <summary>A leaving connection writes what was queued for it, then LEAVE; its chunks stay until it has.</summary>
    private void Drain(Connection? c)
    {
        if (c is null) return;
        c.CloseGracefully();
        if (c.NeedsStream) _draining.Add(c);
    }

    private void RecomputeMinimum()
    {
        long min = Stream.End;
        foreach (var leaf in _leaves)
            if (leaf.Conn is { ReceivesStream: true, IsTerminated: false } c && c.StreamPosition < min) min = c.StreamPosition;
        _draining.RemoveAll(c => !c.NeedsStream);
        foreach (var c in _draining) min = Math.Min(min, c.StreamPosition);
        _minPosition = min;
        Stream.Release(min);
    }

    /// <summary>
    /// How many <see cref="Flush"/> calls are having every leaf write: the writer thread's, and a committing thread's
    /// (<see cref="RioCommitted"/>). Changed with Interlocked; read under the lock.
    /// </summary>
    private int _flushing;

    /// <summary>The connections one <see cref="Flush"/> writes, gathered under the lock; one list per thread, reused.</summary>
    [ThreadStatic] private static List<Connection>? t_flushList;

    /// <summary>A plain read first: while already scheduled (a busy sender appending), no locked instruction per message.</summary>
    public bool TrySchedule() => Volatile.Read(ref _scheduled) == 0 && Interlocked.Exchange(ref _scheduled, 1) == 0;
    public void Unschedule() => Volatile.Write(ref _scheduled, 0);

    /// <summary>
    /// The writer's turn for this root (or a committing thread's, <see cref="RioCommitted"/>): every leaf writes what
    /// it can, then the shared chunks behind the slowest leaf are freed. Two at once are safe: a connection writes for
    /// one thread at a time (<see cref="Connection.Flush"/>), and each recomputes the slowest position after its writes.
    /// </summary>
    public void Flush()
    {
        var conns = t_flushList ??= new List<Connection>();
        lock (Gate)
        {
            foreach (var leaf in _leaves)
                if (leaf.Conn is { } c) conns.Add(c);
            conns.AddRange(_draining);
        }
        Interlocked.Increment(ref _flushing);
        try { foreach (var c in conns) c.Flush(); }
        finally
        {
            Interlocked.Decrement(ref _flushing);
            conns.Clear();
        }
        lock (Gate)
        {
            RecomputeMinimum();
            if (Stream.End - _minPosition <= Options.LeafQueueLimit / 2) RoomAvailable();
            else PumpSends();
        }
    }

    /// <summary>
    /// A leaf's connection wrote, or ended (on its own turn after EPOLLOUT or after it ended, or within <see cref="Flush"/>;
    /// under the lock): while
    /// sends wait or the slowest leaf lags past half the limit, the minimum is recomputed here, so the chunks behind it
    /// are freed and waiting sends learn of room. Only that: scheduling a whole flush of every leaf for each leaf's write
    /// would keep the writer spinning on every connection as long as one leaf lags (a slow link under MP_POLICY_EVICT).
    /// </summary>
    public void LeafWrote()
    {
        if (Volatile.Read(ref _flushing) != 0) return; // the root's own flush recomputes once, after every leaf wrote
        if (!SendsWaiting && Stream.End - _minPosition <= Options.LeafQueueLimit / 2) return;
        RecomputeMinimum();
        if (Stream.End - _minPosition <= Options.LeafQueueLimit / 2) RoomAvailable();
        else PumpSends();
    }
}
