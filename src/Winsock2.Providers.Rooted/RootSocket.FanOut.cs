using Winsock2.Providers.Rooted.Wire;

namespace Winsock2.Providers.Rooted;

/// <summary>The root's sends: framed once into the shared stream, written by every receiving leaf's connection from its own position.</summary>
internal sealed partial class RootSocket
{
    public override int Send(WSABUF[] buffers, uint count, out uint sent, uint flags, WSAOVERLAPPED? ov,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno)
    {
        sent = 0;
        bool overlapped = ov is not null || routine is not null;
        int length;
        var type = (flags & Ws2Spi.MSG_PARTIAL) != 0 ? FrameType.DataMore : FrameType.Data;
        lock (Gate)
        {
            errno = StartSend(flags, overlapped, buffers, count, out length);
            if (errno != 0) return Ws2Spi.SOCKET_ERROR;
            // The common case: no shaper, room in every queue, not overlapped: append and go.
            if (!overlapped && !Shaped && HasRoom(length))
            {
                Append(type, buffers, count, length);
                sent = (uint)length;
                return 0;
            }
        }
        return SendWhenRoom(HasRoom, len => Append(type, buffers, count, len), length, overlapped, ov, routine, threadId, out sent, out errno);
    }

    /// <summary>Frames the message once into the shared stream; every leaf writes these same bytes.</summary>
    private void Append(FrameType type, WSABUF[] buffers, uint count, int length)
    {
        Span<byte> header = stackalloc byte[Frame.HeaderSize];
        Frame.WriteHeader(header, type, length);
        Stream.Append(header, buffers, count, length);
        if (_leaves.Count == 0) _minPosition = Stream.End;
        Writer.Schedule(this);
    }

    /// <summary>
    /// Room in every receiving leaf's queue (backpressure). Under the eviction policy the root never waits for a
    /// leaf: every leaf over its queue limit is dropped (FD_CLOSE with WSAECONNABORTED on its socket), so the
    /// others keep full speed. A leaf is judged on the bytes no write has taken (<see cref="Connection.Untaken"/>):
    /// a write in flight may already be in its application's hands.
    /// </summary>
    private bool HasRoom(int length)
    {
        long need = length + Frame.HeaderSize;
        if (Stream.End - _minPosition + need <= Options.LeafQueueLimit) return true;
        if (Options.SlowLeafPolicy != Ws2Spi.MP_POLICY_EVICT) return false;
        foreach (var leaf in _leaves.ToArray())
        {
            if (leaf.Conn is { ReceivesStream: true, IsTerminated: false } c && c.Untaken(Stream.End) + need > Options.LeafQueueLimit)
                c.End(Ws2Spi.WSAECONNABORTED, abort: true);
        }
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

    public bool TrySchedule() => Interlocked.Exchange(ref _scheduled, 1) == 0;
    public void Unschedule() => Volatile.Write(ref _scheduled, 0);

    /// <summary>The writer's turn for this root: every leaf writes what it can, then the shared chunks behind the slowest leaf are freed.</summary>
    public void Flush()
    {
        Connection[] conns;
        lock (Gate) conns = _leaves.Select(l => l.Conn).OfType<Connection>().Concat(_draining).ToArray();
        foreach (var c in conns) c.Flush();
        lock (Gate)
        {
            RecomputeMinimum();
            if (Stream.End - _minPosition <= Options.LeafQueueLimit / 2) RoomAvailable();
        }
    }

    /// <summary>A leaf's connection wrote on its own turn (after EPOLLOUT): the root's slowest position may have moved.</summary>
    public void LeafWrote()
    {
        if (WriteBlocked || Stream.End - _minPosition > Options.LeafQueueLimit / 2) Writer.Schedule(this);
    }
}
