namespace Winsock2.Providers.Core;

/// <summary>
/// One direction of a request queue (its receives, or its sends): a ring of posted requests with four counters that
/// only grow. <c>tail</c>: posted by the application (the single producer); <c>committed</c>: visible to the transport
/// (a RIO_MSG_DEFER request waits below it until a later request or a commit); <c>head</c>: completed by the transport
/// (the single consumer), its result staged in the slot; <c>released</c>: published into the completion queue. A slot
/// is reused only after its result was published, so staging needs no other storage and posting no allocation; the
/// outstanding count (<c>tail − released</c>) is what RIO's limits bound.
/// </summary>
internal sealed class RioRing
{
    private struct Slot
    {
        public RioRequest Request;
        public RioExSlices? Ex; // this slot's holder for Ex requests' slices, made once and reused
        public int Status;
        public uint Bytes;
    }

    /// <summary>
    /// Where the slots live: sequence numbers below <see cref="GrowSeq"/> in <see cref="Old"/>, the others in
    /// <see cref="New"/> (each indexed by sequence &amp; its length − 1). Growing installs a new layout at once, so the
    /// transport, still at work on older requests, never sees a slot move.
    /// </summary>
    private sealed class Layout(Slot[] old, Slot[] @new, long growSeq)
    {
        public readonly Slot[] Old = old, New = @new;
        public readonly long GrowSeq = growSeq;

        public ref Slot this[long seq]
        {
            get
            {
                var a = seq < GrowSeq ? Old : New;
                return ref a[seq & (a.Length - 1)];
            }
        }
    }

    private Layout _layout;
    private RioRingCounters _c;

    public RioRing(RioCompletionQueue cq, int max)
    {
        Cq = cq;
        Max = max;
        var slots = new Slot[Capacity(max)];
        _layout = new Layout(slots, slots, 0);
    }

    /// <summary>The completion queue this direction's results go to.</summary>
    public RioCompletionQueue Cq { get; }

    /// <summary>Most requests outstanding (posted, not yet published) at once.</summary>
    public int Max { get; private set; }

    /// <summary>Requests posted and not yet published.</summary>
    public int Outstanding => (int)(Volatile.Read(ref _c.Tail) - Volatile.Read(ref _c.Released));

    /// <summary>Requests committed and not yet completed: what the transport has to do.</summary>
    public int Posted => (int)(Volatile.Read(ref _c.Committed) - Volatile.Read(ref _c.Head));

    private static int Capacity(int max) => (int)Math.Max(1u, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(max, 1)));

    /// <summary>
    /// The application posts one request (its thread; posts are serialized, as RIO requires): 0; WSAENOBUFS at the limit
    /// or with the completion queue full; WSAEINVAL once RIOCloseCompletionQueue closed the completion queue.
    /// </summary>
    public int Post(in RioSlice data, ulong context, uint flags)
    {
        int err = Place(out long tail);
        if (err != 0) return err;
        _layout[tail].Request = new RioRequest(data, context, flags, null);
        Volatile.Write(ref _c.Tail, tail + 1);
        return 0;
    }

    /// <summary>The checks every post makes: a place under the limit and one in the completion queue, reserved; the sequence it gets.</summary>
    private int Place(out long tail)
    {
        tail = _c.Tail;
        if (Cq.IsClosed) return Ws2Spi.WSAEINVAL;
        if (tail - _c.ReleasedSeen >= Max && tail - (_c.ReleasedSeen = Volatile.Read(ref _c.Released)) >= Max) return Ws2Spi.WSAENOBUFS;
        return Cq.Reserve(this) ? 0 : Ws2Spi.WSAENOBUFS;
    }

    /// <summary>
    /// The posting thread, while this direction is its completion queue's one posting direction: takes one of the entries
    /// it reserved ahead, reserving the next batch when none is left (one interlocked operation per batch instead of per
    /// request). False when the queue stopped granting credits or has no room; the caller then reserves the usual way.
    /// The flag raised around the use is what <see cref="Cq"/>'s revocation waits out: it either sees the flag, or this
    /// thread sees the revocation (<see cref="RioCompletionQueue.IsCredited"/>).
    /// </summary>
    internal bool TryUseCredit()
    {
        Volatile.Write(ref _c.UsingCredits, 1);
        bool ok = Cq.IsCredited(this) && (_c.Credits > 0 || (_c.Credits = Cq.TakeCredits()) > 0);
        if (ok) _c.Credits--;
        Volatile.Write(ref _c.UsingCredits, 0);
        return ok;
    }

    /// <summary>
    /// The completion queue revokes this direction's credits (under its lock, after it stopped granting them and made
    /// every thread's writes visible): waits out a use in progress, then hands back the credits left.
    /// </summary>
    internal int RevokeCredits()
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref _c.UsingCredits) != 0) spin.SpinOnce();
        int left = _c.Credits;
        _c.Credits = 0;
        return left;
    }

    /// <summary>As <see cref="Post(in RioSlice, ulong, uint)"/>, for a request with address or flags slices (RIOReceiveEx / RIOSendEx).</summary>
    public int Post(in RioSlice data, ulong context, uint flags, in RioSlice remote, in RioSlice local, in RioSlice flagsSlice, in RioSlice control)
    {
        int err = Place(out long tail);
        if (err != 0) return err;
        ref var slot = ref _layout[tail];
        var ex = slot.Ex ??= new RioExSlices();
        ex.RemoteAddress = remote;
        ex.LocalAddress = local;
        ex.FlagsSlice = flagsSlice;
        ex.ControlContext = control;
        slot.Request = new RioRequest(data, context, flags, ex);
        Volatile.Write(ref _c.Tail, tail + 1);
        return 0;
    }

    /// <summary>Makes every posted request visible to the transport (any thread): true when some were not yet.</summary>
    public bool Commit()
    {
        long tail = Volatile.Read(ref _c.Tail);
        while (true)
        {
            long c = Volatile.Read(ref _c.Committed);
            if (c >= tail) return false;
            if (Interlocked.CompareExchange(ref _c.Committed, tail, c) == c) return true;
        }
    }

    /// <summary>How many requests the transport completed: the sequence number of the oldest not yet completed (the transport's thread).</summary>
    public long Completed => _c.Head;

    /// <summary>The oldest committed request not yet completed (the transport's thread).</summary>
    public bool TryPeek(out RioRequest request) => TryPeek(0, out request);

    /// <summary>The committed request <paramref name="ahead"/> places after the oldest not yet completed (0: the oldest).</summary>
    public bool TryPeek(int ahead, out RioRequest request)
    {
        long seq = _c.Head + ahead;
        if (ahead < 0 || (seq >= _c.CommittedSeen && seq >= (_c.CommittedSeen = Volatile.Read(ref _c.Committed))))
        {
            request = default;
            return false;
        }
        request = Volatile.Read(ref _layout)[seq].Request;
        return true;
    }

    /// <summary>Completes the oldest committed request, its result staged (the transport's thread): false when there was none.</summary>
    public bool Complete(int status, uint bytes)
    {
        long h = _c.Head;
        if (h >= _c.CommittedSeen && h >= (_c.CommittedSeen = Volatile.Read(ref _c.Committed))) return false;
        ref var slot = ref Volatile.Read(ref _layout)[h];
        slot.Status = status;
        slot.Bytes = bytes;
        Volatile.Write(ref _c.Head, h + 1);
        return true;
    }

    /// <summary>Every committed request not yet completed, and the deferred ones, complete with <paramref name="status"/> (the transport's thread).</summary>
    public void CompleteAll(int status)
    {
        Commit();
        while (Complete(status, 0)) { }
    }

    /// <summary>
    /// Moves the staged results into the completion queue in one step under its lock (any thread); the slots become
    /// free for new posts.
    /// </summary>
    public void Publish(ulong socketContext)
    {
        if (Volatile.Read(ref _c.Released) == Volatile.Read(ref _c.Head)) return;
        Cq.Publish(this, socketContext);
    }

    /// <summary>
    /// Under the completion queue's lock: writes each staged result into <paramref name="cq"/>, in completion order,
    /// frees their slots (the requests' places), and only then makes the results visible — an application that dequeues
    /// a result and reposts at once always finds its place free. The count appended, and in
    /// <paramref name="notifying"/> how many lacked RIO_MSG_DONT_NOTIFY.
    /// </summary>
    public int Drain(ulong socketContext, RioCompletionQueue cq, out int notifying)
    {
        notifying = 0;
        long r = _c.Released, h = Volatile.Read(ref _c.Head);
        var layout = Volatile.Read(ref _layout);
        for (long i = r; i < h; i++)
        {
            ref var slot = ref layout[i];
            bool notifies = (slot.Request.Flags & Ws2Spi.RIO_MSG_DONT_NOTIFY) == 0;
            if (notifies) notifying++;
            cq.StageLocked((int)(i - r), new RIORESULT
            {
                Status = slot.Status,
                BytesTransferred = slot.Bytes,
                SocketContext = socketContext,
                RequestContext = slot.Request.RequestContext,
            }, notifies);
            slot.Request = default; // the request's arrays are not kept alive by a free slot
            if (slot.Ex is { } ex) ex.RemoteAddress = ex.LocalAddress = ex.FlagsSlice = ex.ControlContext = default;
        }
        Volatile.Write(ref _c.Released, h); // the places are free before the results can be dequeued
        cq.RevealLocked((int)(h - r));
        return (int)(h - r);
    }

    /// <summary>
    /// RIOResizeRequestQueue for this direction (the application's thread, as posting): 0; WSAETOOMANYREFS below the
    /// outstanding count, or when the ring must grow again before the requests of its previous growth were published.
    /// Growing keeps every outstanding request where it is and puts later ones in the larger ring.
    /// </summary>
    public int Resize(int max)
    {
        if (max < Outstanding) return Ws2Spi.WSAETOOMANYREFS;
        var layout = _layout;
        if (max > layout.New.Length)
        {
            long tail = _c.Tail;
            if (Volatile.Read(ref _c.Released) < layout.GrowSeq) return Ws2Spi.WSAETOOMANYREFS;
            Volatile.Write(ref _layout, new Layout(layout.New, new Slot[Capacity(max)], tail));
        }
        Max = max;
        return 0;
    }
}
