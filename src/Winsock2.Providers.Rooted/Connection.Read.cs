using System.Runtime.InteropServices;
using System.Net.Sockets;
using Winsock2.Interop;
using Winsock2.Providers.Rooted.Wire;
using Winsock2.Providers.Core;
using Winsock2.Kernel;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// The reactor side of a connection: a finished connect, writability, and reading frames into the owner.
/// One reader at a time per connection (<see cref="RequestRead"/>); the read and the decoding run without the
/// session lock, which is taken only to hand the decoded frames over. A reading turn is bounded
/// (<see cref="RootedLimits.ReadTurnBytes"/>) and continues on the thread pool, so one busy connection never
/// holds the reactor (unless the owner reads it on its own thread: Connection.Deferred.cs). Reading stops while the
/// owner's receive buffer is full (<see cref="IConnectionOwner.MayRead"/>) and resumes when the application drains it
/// (<see cref="ResumeReading"/>).
/// </summary>
internal sealed partial class Connection
{
    [ThreadStatic] private static byte[]? t_readBuffer;
    [ThreadStatic] private static List<DecodedFrame>? t_frames;

    /// <summary>Read requests since the running reader last looked; nonzero while a reader runs (it looks again before it stops).</summary>
    private int _readRequests;
    /// <summary>Reading stopped because the owner's receive buffer is full (set and cleared under the session lock; read without it by <see cref="Consumed"/>).</summary>
    private bool _readPaused;
    /// <summary>
    /// The peer's end was reported (RDHUP, HUP or ERR): reads go on until the socket says EAGAIN or end of stream.
    /// Until then, in the join phase, a read that returns less than it asked for ends the turn (<see cref="ReadSome"/>).
    /// </summary>
    private bool _readToEnd;

    /// <summary>
    /// Bytes of this connection's messages queued in the owner's inbox and not yet taken by the application, each
    /// message counting <see cref="RootedLimits.MessageOverhead"/> besides its payload (added under the session lock,
    /// taken back with or without it: always changed with Interlocked).
    /// </summary>
    public long Unread;

    /// <summary>Bytes the decoder holds for a partly received frame, and whether one is partly received (tests and diagnostics).</summary>
    public (int Buffered, bool MidFrame) DecoderState => (_decoder.BufferedCapacity, _decoder.MidFrame);

    /// <summary>
    /// Test seam: runs on the reading thread with each read's byte count, after the read and before its frames are
    /// decoded and handed over (the window in which no lock may be held). Null outside tests.
    /// </summary>
    internal Action<int>? ReadReturned;

    /// <summary>
    /// The least rest of a claimed frame that is read straight into the owner's slice: a shorter rest is read into the
    /// buffer with what follows (one full read, its pieces copied), as a read is worth more than a short copy.
    /// </summary>
    private const int DirectMin = 32 * 1024;

    /// <summary>The most bytes a read that goes straight into an owner's slice also reads into the buffer after it.</summary>
    private const int DirectTail = 4096;

    /// <summary>True while a reader is at work on this connection (tests and diagnostics).</summary>
    public bool ReadingNow => Volatile.Read(ref _readRequests) != 0;

    /// <summary>True while reading is stopped for a full receive buffer (tests and diagnostics).</summary>
    public bool ReadPaused { get { lock (Owner.Gate) return _readPaused; } }

    /// <summary>
    /// A frame the decoder found in a read: its payload at Offset/Length of the read, or its own array (Owned); or a
    /// piece (<see cref="Piece"/>) of a data frame of <see cref="Total"/> bytes that spans reads.
    /// </summary>
    private readonly record struct DecodedFrame(FrameType Type, int Offset, int Length, byte[]? Owned, PieceOf Piece = PieceOf.None, int Total = 0);

    /// <summary>Which piece of a spanning data frame a <see cref="DecodedFrame"/> is.</summary>
    private enum PieceOf : byte { None, First, Middle, Last }

    public void OnReady(uint events)
    {
        // The peer shut down (or the socket failed): from now on a read turn goes on to the end of the stream.
        if ((events & (Libc.EPOLLRDHUP | Libc.EPOLLHUP | Libc.EPOLLERR)) != 0) Volatile.Write(ref _readToEnd, true);
        if (_connecting)
        {
            if ((events & (Libc.EPOLLOUT | Libc.EPOLLERR | Libc.EPOLLHUP)) == 0) return;
            lock (Owner.Gate) if (!FinishConnect()) return;
        }
        if ((events & Libc.EPOLLOUT) != 0)
        {
            bool again;
            lock (Owner.Gate) { again = _waitingWritable; _waitingWritable = false; }
            if (again) Writer.Schedule(this);
        }
        if ((events & (Libc.EPOLLRDHUP | Libc.EPOLLHUP | Libc.EPOLLERR)) != 0) RequestRead();
        else if ((events & Libc.EPOLLIN) != 0 && !TryDeferInput()) RequestRead();
    }

    /// <summary>
    /// Reads what the socket holds (the reactor on readiness; the thread pool when reading resumes). If a reader is
    /// already running this only tells it to look again, so no readiness edge is lost and frames stay in order.
    /// </summary>
    public void RequestRead()
    {
        if (Interlocked.Increment(ref _readRequests) != 1) return;
        ReadTurn();
    }

    private void ReadTurn()
    {
        try
        {
            var buffer = t_readBuffer ??= new byte[RootedLimits.ReadChunk];
            var frames = t_frames ??= new List<DecodedFrame>();
            while (true)
            {
                int seen = Volatile.Read(ref _readRequests);
                Volatile.Write(ref _inputDeferred, 0); // this turn reads what waits
                if (!ReadSome(buffer, frames) && !TryDeferInput())
                {
                    // The turn's budget is spent with bytes still coming: continue later, still the only reader.
                    ThreadPool.UnsafeQueueUserWorkItem(static c => c.ReadTurn(), this, preferLocal: false);
                    return;
                }
                if (Interlocked.CompareExchange(ref _readRequests, 0, seen) == seen) return;
            }
        }
        catch (Exception e)
        {
            Volatile.Write(ref _readRequests, 0);
            Diagnostics.InternalFailure("rooted reader", e);
        }
    }

    /// <summary>
    /// Reads (nonblocking, without the session lock) until the socket has nothing more, the owner's receive buffer is
    /// full, or the connection ends: true. False when the turn's budget ran out first (the caller continues later).
    /// Any byte read counts as the peer being alive, before a frame is complete.
    /// </summary>
    private unsafe bool ReadSome(byte[] buffer, List<DecodedFrame> frames)
    {
        int budget = RootedLimits.ReadTurnBytes;
        var iov = stackalloc Libc.iovec[2];
        while (true)
        {
            int want;
            bool joining;
            lock (Owner.Gate)
            {
                if (IsTerminated) return true;
                joining = !_established;
                if (!_lingering && !MayReadNow())
                {
                    // A receive drains without the session lock: announce the pause, then look again (a drain that
                    // came before the announcement is seen here, one after it sees the pause and resumes reading).
                    Volatile.Write(ref _readPaused, true);
                    Interlocked.MemoryBarrier();
                    if (!MayReadNow()) return true;
                    _readPaused = false;
                }
                // Near the limit, read no more than the room left (at least a small read): the overshoot stays small.
                long room = Owner.ReceiveLimit - Volatile.Read(ref Unread);
                want = (int)Math.Clamp(room, 4096, buffer.Length);
            }
            nint n;
            int err;
            // The rest of a frame the owner takes piece by piece may go straight where it keeps it: read first, then
            // the following bytes into the buffer as usual.
            int claimed = _decoder.ClaimedRemaining;
            ArraySegment<byte> into = default;
            int direct = claimed >= DirectMin && !Volatile.Read(ref _lingering) && Owner.TryBeginDirect(this, claimed, out into) ? into.Count : 0;
            try
            {
                fixed (byte* p = buffer)
                fixed (byte* q = into.Array)
                {
                    int k = 0;
                    if (direct > 0) iov[k++] = new Libc.iovec { iov_base = q + into.Offset, iov_len = (nuint)direct };
                    // After a direct part, only a short tail into the buffer: the next long frame's first piece (copied)
                    // stays small, and its rest goes straight into its own receive on the next read.
                    iov[k++] = new Libc.iovec { iov_base = p, iov_len = (nuint)(direct > 0 ? Math.Min(want, DirectTail) : want) };
                    n = SocketCalls.RecvMsg(_handle, iov, k, null, 0, Libc.MSG_DONTWAIT, out _, out _, out err);
                }
            }
            finally
            {
                if (direct > 0) Owner.EndDirect(this);
            }
            if (n < 0 && err == SocketCalls.EBADF) return true; // the socket was closed: nothing more to read
            if (n > 0)
            {
                Volatile.Write(ref LastReceived, Environment.TickCount64);
                ReadReturned?.Invoke((int)n);
                if (Volatile.Read(ref _lingering)) continue;
                int straight = (int)Math.Min(n, direct);
                if (straight > 0 && !DeliverDirect(straight)) return true;
                if (n > straight && !Deliver(buffer.AsSpan(0, (int)n - straight), frames)) return true;
                budget -= (int)n;
                if (budget <= 0) return false;
                // A join frame, less than asked: the socket was empty. Bytes that come later are a readiness of their
                // own (a new edge for the reactor, the next poll for a thread reading itself), so no read just to meet
                // EAGAIN on the way to the answer. A FIN that came with these bytes was reported with them (RDHUP:
                // _readToEnd), one after them is new. Joined, a turn reads on: what arrives meanwhile joins the batch.
                if (joining && n < want && !Volatile.Read(ref _readToEnd)) return true;
                continue;
            }
            lock (Owner.Gate)
            {
                if (IsTerminated) return true;
                if (n == 0)
                {
                    if (_lingering || _leaveSeen) { Terminate(); return true; }
                    // FIN without LEAVE: the peer died or was killed; a cut frame is a protocol violation.
                    End(_decoder.MidFrame ? Ws2Spi.WSAECONNABORTED : Ws2Spi.WSAECONNRESET, abort: false);
                    return true;
                }
                if (err == Errno.EINTR) continue;
                if (err == Errno.EAGAIN) return true;
                if (_lingering || _leaveSeen) { Terminate(); return true; }
                End(Errno.ToWinsock(err) is var code && code == Ws2Spi.WSAETIMEDOUT ? Ws2Spi.WSAENETRESET : Ws2Spi.WSAECONNRESET, abort: false);
                return true;
            }
        }
    }

    /// <summary>
    /// Decodes the bytes read (without the lock) and hands the frames to the owner under the lock, a batch at a
    /// time; in the join phase one frame at a time, so a join that completes changes how the next frame is judged.
    /// False when the connection ended or the stream was malformed.
    /// </summary>
    private bool Deliver(ReadOnlySpan<byte> data, List<DecodedFrame> frames)
    {
        while (!data.IsEmpty)
        {
            frames.Clear();
            int used = _decoder.DecodePieces(data, frames, static (list, type, offset, length, owned) => list.Add(new(type, offset, length, owned)),
                static (list, type, offset, length, total, first, last) =>
                    list.Add(new(type, offset, length, null, first ? PieceOf.First : last ? PieceOf.Last : PieceOf.Middle, total)));
            lock (Owner.Gate)
            {
                bool anyData = false;
                foreach (ref readonly var f in CollectionsMarshal.AsSpan(frames)) // this thread's list, unchanged meanwhile
                {
                    if (IsTerminated || _decoder.Failed) break;
                    if (f.Piece != PieceOf.None)
                    {
                        DeliverPiece(f, data.Slice(f.Offset, f.Length));
                        anyData = true;
                    }
                    else if (f.Type is FrameType.Data or FrameType.DataMore)
                    {
                        Owner.OnData(this, f.Type == FrameType.Data, f.Owned is null ? data.Slice(f.Offset, f.Length) : f.Owned, f.Owned);
                        anyData = true;
                    }
                    else Dispatch(f.Type, f.Owned ?? data.Slice(f.Offset, f.Length).ToArray());
                }
                frames.Clear();
                if (anyData && !IsTerminated) Owner.DataDelivered(this);
                if (IsTerminated) return false;
                if (used < 0 || _decoder.Failed)
                {
                    if (!_leaveSeen) End(Ws2Spi.WSAECONNABORTED, abort: true); // malformed or hostile peer: drop this connection only
                    return false;
                }
            }
            data = data[used..];
        }
        return true;
    }

    /// <summary>
    /// <paramref name="n"/> bytes of a claimed frame were read straight into the owner's slice: the decoder and the
    /// owner learn of them under the lock. False when the connection ended.
    /// </summary>
    private bool DeliverDirect(int n)
    {
        lock (Owner.Gate)
        {
            if (IsTerminated) return false;
            bool last = _decoder.AdvanceClaimed(n);
            if (_decoder.Failed)
            {
                End(Ws2Spi.WSAECONNABORTED, abort: true);
                return false;
            }
            Owner.OnDirect(this, n, last);
            if (last) Owner.DataDelivered(this);
            return !IsTerminated;
        }
    }

    /// <summary>
    /// Under the lock: a piece of a data frame that spans reads. The first piece asks the owner whether it takes the
    /// payload piece by piece (<see cref="IConnectionOwner.OnDataStart"/>); if not, the decoder keeps it and the frame
    /// comes whole later.
    /// </summary>
    private void DeliverPiece(in DecodedFrame f, ReadOnlySpan<byte> piece)
    {
        if (f.Piece != PieceOf.First) Owner.OnDataPiece(this, piece, last: f.Piece == PieceOf.Last);
        else if (Owner.OnDataStart(this, f.Type == FrameType.Data, f.Total, piece)) _decoder.ClaimPieces();
        else _decoder.BufferPieces(piece);
    }

    /// <summary>Under the lock: the owner has room for more of this connection's messages.</summary>
    private bool MayReadNow() => Owner.MayRead(this);

    /// <summary>
    /// Under the lock: if reading stopped and may go on now, the stop is lifted and true returned — the caller then
    /// reads (<see cref="ReadInline"/>) once it released the lock, on its own thread (no thread hop).
    /// </summary>
    public bool TakePause()
    {
        if (!_readPaused || IsTerminated || !MayReadNow()) return false;
        _readPaused = false;
        return true;
    }

    /// <summary>
    /// Reads and decodes on the calling thread (nonblocking: up to what the socket holds, one turn's budget) unless a
    /// reader is already at work. Never under the session lock.
    /// </summary>
    public void ReadInline()
    {
        if (Volatile.Read(ref _readRequests) == 0) RequestRead();
    }

    /// <summary>
    /// Under the lock, after the application took messages (or a limit was raised): if reading stopped for a full
    /// buffer and there is room again, reading resumes on the thread pool (never under the caller's lock).
    /// </summary>
    public void ResumeReading()
    {
        if (!_readPaused || IsTerminated || !MayReadNow()) return;
        _readPaused = false;
        RequestReadOnThreadPool();
    }

    /// <summary><see cref="RequestRead"/> on the thread pool (never under the caller's lock).</summary>
    private void RequestReadOnThreadPool() => ThreadPool.UnsafeQueueUserWorkItem(static c => c.RequestRead(), this, preferLocal: false);

    /// <summary>
    /// A message of this connection left the owner's inbox (with or without the session lock): below half the limit,
    /// stopped reading resumes.
    /// </summary>
    public void Consumed(long cost)
    {
        long left = Interlocked.Add(ref Unread, -cost);
        if (!Volatile.Read(ref _readPaused) || left > Owner.ReceiveLimit / 2) return;
        lock (Owner.Gate) ResumeReading();
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
        Volatile.Write(ref _lingering, true);
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
}
