namespace Winsock2.Providers.Core;

/// <summary>
/// A Registered I/O completion queue: a bounded ring of RIORESULT. Producers are the transports publishing a batch
/// (<see cref="Publish"/>, one lock per batch); the consumer is the application (RIODequeueCompletion, one thread at a
/// time — a second at once is RIO_CORRUPT_CQ). It never overflows: each posted request reserves its entry
/// (<see cref="Reserve"/>) until its result is dequeued, and a post that finds no room is WSAENOBUFS. While a single
/// direction of a single request queue can post into it, that direction reserves a batch at a time. The request
/// queues on it commit their outstanding limits (their sum stays within the size, as Windows requires). The ring's
/// memory follows use: it starts small and grows (up to the size, rounded up to a power of two so an index is a mask)
/// when reservations need it.
/// </summary>
public sealed class RioCompletionQueue : RIO_CQ
{
    private readonly Lock _gate = new();
    private RIORESULT[] _ring;
    private bool[] _notifying;
    private RioQueueCounters _c;
    private long _committed;  // the outstanding limits of the request queues on this queue
    private volatile bool _closed;
    private RioRequestQueue[] _queues = [];
    private readonly RioNotifier? _notifier;

    /// <summary>The ring's first capacity (a queue made large takes memory only as requests use it).</summary>
    private const int InitialCapacity = 256;

    internal RioCompletionQueue(int size, RioNotifier? notifier)
    {
        Size = size;
        _ring = new RIORESULT[Pow2(Math.Min(size, InitialCapacity))];
        _notifying = new bool[_ring.Length];
        _notifier = notifier;
    }

    /// <summary>The queue's size in entries.</summary>
    public int Size { get; private set; }

    /// <summary>Results published and not yet dequeued.</summary>
    public int Count => (int)(Volatile.Read(ref _c.Tail) - Volatile.Read(ref _c.Head));

    /// <summary>Entries taken: results not yet dequeued, requests posted, and credits held (<see cref="Reserve"/>).</summary>
    internal long Reserved => Volatile.Read(ref _c.Used);

    /// <summary>RIOCloseCompletionQueue closed it.</summary>
    public bool IsClosed => _closed;

    internal RioNotifier? Notifier => _notifier;

    /// <summary>Reserves the entry of one request <paramref name="ring"/> posts: false when the queue has no room (WSAENOBUFS).</summary>
    internal bool Reserve(RioRing ring)
    {
        if (IsCredited(ring) && ring.TryUseCredit()) return true;
        int revocations = Volatile.Read(ref _revocations);
        if (TryReserveOne()) return true;
        if (revocations == Volatile.Read(ref _revocations) && (revocations & 1) == 0) return false;
        // A revocation under way (it holds the lock) had not given the credits back yet: wait it out, then look again.
        lock (_gate) return TryReserveOne();
    }

    /// <summary>Counts revocations of credits, twice each: odd while one is under way.</summary>
    private int _revocations;

    /// <summary>One entry, with one interlocked operation: false when the queue has no room.</summary>
    private bool TryReserveOne()
    {
        long used = Interlocked.Increment(ref _c.Used);
        if (used <= Size && (used <= Volatile.Read(ref _ring).Length || Grow(used))) return true;
        Interlocked.Decrement(ref _c.Used);
        return false;
    }

    /// <summary>
    /// The one direction posting into this queue (the only attached ring with a nonzero outstanding limit), which
    /// reserves entries a batch at a time (<see cref="RioRing.TryUseCredit"/>); null while several may post. Credits
    /// count as used, so they can only make the direction holding them wait, never another: a second direction that
    /// attaches, a resize of this queue, or the direction leaving first revokes them (<see cref="SetCredited"/>).
    /// </summary>
    private RioRing? _credited;

    /// <summary>Most entries one batch of credits takes.</summary>
    private const int CreditBatch = 64;

    /// <summary>The credited direction's posting thread, after announcing its use: whether it still may use credits.</summary>
    internal bool IsCredited(RioRing ring) => Volatile.Read(ref _credited) == ring;

    /// <summary>
    /// The credited direction's posting thread: reserves up to <see cref="CreditBatch"/> entries at once, within the
    /// size and the ring's present capacity (growing the ring takes the lock, which a revocation holds while it waits
    /// for this thread); 0 when there is no room that way.
    /// </summary>
    internal int TakeCredits()
    {
        while (true)
        {
            long used = Volatile.Read(ref _c.Used);
            long room = Math.Min(Size, Volatile.Read(ref _ring).Length) - used;
            if (room <= 0) return 0;
            int k = (int)Math.Min(CreditBatch, room);
            if (Interlocked.CompareExchange(ref _c.Used, used + k, used) == used) return k;
        }
    }

    /// <summary>
    /// Under the lock: the direction that may hold credits becomes <paramref name="ring"/>. The one holding them before
    /// stops first: it is told (its next use sees null), every thread's writes are made visible
    /// (<see cref="Interlocked.MemoryBarrierProcessWide"/>: the posting thread's announcement, or the revocation, is
    /// seen by the other side), a use in progress is waited out, and the credits left are given back.
    /// </summary>
    private void SetCredited(RioRing? ring)
    {
        var old = _credited;
        if (old == ring) return;
        if (old is not null)
        {
            Volatile.Write(ref _revocations, _revocations + 1); // odd before anyone can see the direction uncredited
            Volatile.Write(ref _credited, null);
            Interlocked.MemoryBarrierProcessWide();
            int left = old.RevokeCredits();
            if (left != 0) Interlocked.Add(ref _c.Used, -left);
            Volatile.Write(ref _revocations, _revocations + 1);
        }
        Volatile.Write(ref _credited, ring);
    }

    /// <summary>Under the lock: credits go to the only attached direction with a nonzero limit, if there is exactly one.</summary>
    private void RefreshCredited()
    {
        RioRing? only = null;
        int posting = 0;
        foreach (var rq in _queues)
        {
            if (rq.Receives.Cq == this && rq.Receives.Max > 0) { only = rq.Receives; posting++; }
            if (rq.Sends.Cq == this && rq.Sends.Max > 0) { only = rq.Sends; posting++; }
        }
        SetCredited(posting == 1 ? only : null);
    }

    /// <summary>A request queue on this queue changed its limits (RIOResizeRequestQueue): who may hold credits is judged again.</summary>
    internal void LimitsChanged()
    {
        lock (_gate) RefreshCredited();
    }

    /// <summary>Makes the ring hold <paramref name="needed"/> entries (doubling, up to the size): false without the memory.</summary>
    private bool Grow(long needed)
    {
        lock (_gate)
        {
            if (_ring.Length >= needed) return true;
            return Reallocate(Pow2((int)Math.Min(Size, Math.Max(needed, 2L * _ring.Length))));
        }
    }

    /// <summary>
    /// Under the lock: moves the results to a ring of <paramref name="capacity"/> entries, waiting out a dequeue in
    /// progress (which never blocks); false without the memory.
    /// </summary>
    private bool Reallocate(int capacity)
    {
        RIORESULT[] ring;
        bool[] notifying;
        try
        {
            ring = new RIORESULT[capacity];
            notifying = new bool[capacity];
        }
        catch (OutOfMemoryException)
        {
            return false;
        }
        var spin = new SpinWait();
        while (Interlocked.Exchange(ref _c.Dequeuing, 1) != 0) spin.SpinOnce();
        try
        {
            long h = _c.Head, t = _c.Tail;
            for (long k = h; k < t; k++)
            {
                ring[(int)(k % capacity)] = _ring[(int)(k % _ring.Length)];
                notifying[(int)(k % capacity)] = _notifying[(int)(k % _ring.Length)];
            }
            _notifying = notifying;
            Volatile.Write(ref _ring, ring);
            return true;
        }
        finally
        {
            Volatile.Write(ref _c.Dequeuing, 0);
        }
    }

    /// <summary>The ring's length for <paramref name="entries"/> entries: the next power of two.</summary>
    private static int Pow2(int entries) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(entries, 1));

    /// <summary>A request queue attaches with <paramref name="need"/> outstanding requests: false when the queue cannot hold them (WSAENOBUFS).</summary>
    internal bool Commit(RioRequestQueue rq, long need)
    {
        lock (_gate)
        {
            if (_committed + need > Size) return false;
            _committed += need;
            if (Array.IndexOf(_queues, rq) < 0) _queues = [.. _queues, rq];
            RefreshCredited();
            return true;
        }
    }

    /// <summary>A request queue's commitment changes by <paramref name="delta"/> (RIOResizeRequestQueue): false when the queue cannot hold it.</summary>
    internal bool Recommit(long delta)
    {
        lock (_gate)
        {
            if (delta > 0 && _committed + delta > Size) return false;
            _committed += delta;
            return true;
        }
    }

    /// <summary>A request queue detaches (its socket closed): its commitment ends.</summary>
    internal void Release(RioRequestQueue rq, long committed)
    {
        lock (_gate)
        {
            _committed -= committed;
            int i = Array.IndexOf(_queues, rq);
            if (i >= 0) _queues = [.. _queues[..i], .. _queues[(i + 1)..]];
            RefreshCredited();
        }
    }

    /// <summary>Publishes one direction's staged results as one batch; fires the armed notification when one of them asks for it.</summary>
    internal void Publish(RioRing ring, ulong socketContext)
    {
        bool fire = false;
        lock (_gate)
        {
            ring.Drain(socketContext, this, out int notifying);
            if (notifying > 0)
            {
                Interlocked.Add(ref _c.Notifiable, notifying);
                if (_notifier is not null) fire = _notifier.TakeArmed();
            }
        }
        if (fire) _notifier!.Fire();
    }

    /// <summary>
    /// Under the lock (from <see cref="RioRing.Drain"/>): writes one result <paramref name="k"/> places past the visible
    /// ones, not yet visible (<see cref="RevealLocked"/>).
    /// </summary>
    internal void StageLocked(int k, in RIORESULT result, bool notifying)
    {
        int i = (int)((_c.Tail + k) & (_ring.Length - 1));
        _ring[i] = result;
        _notifying[i] = notifying;
    }

    /// <summary>Under the lock: makes the <paramref name="count"/> results staged by <see cref="StageLocked"/> visible at once.</summary>
    internal void RevealLocked(int count) => Volatile.Write(ref _c.Tail, _c.Tail + count);

    /// <summary>
    /// RIODequeueCompletion: moves up to <paramref name="max"/> results into <paramref name="array"/>; RIO_CORRUPT_CQ
    /// when the queue is closed or another thread is dequeuing. When the queue is empty the transports of its request
    /// queues get one inline attempt (<see cref="IRioSocket.RioPoll"/>) first.
    /// </summary>
    internal uint Dequeue(RIORESULT[] array, int max)
    {
        if (_closed) return Ws2Spi.RIO_CORRUPT_CQ;
        if (Count == 0)
            foreach (var rq in Volatile.Read(ref _queues)) rq.Poll(); // may publish here: not inside the dequeue
        if (Interlocked.Exchange(ref _c.Dequeuing, 1) != 0) return Ws2Spi.RIO_CORRUPT_CQ;
        try
        {
            if (_closed) return Ws2Spi.RIO_CORRUPT_CQ;
            return (uint)Take(array, max);
        }
        finally
        {
            Volatile.Write(ref _c.Dequeuing, 0);
        }
    }

    /// <summary>RIONotify armed this queue's notification (outside its lock): each request queue on it is told.</summary>
    internal void NotifyArmed()
    {
        foreach (var rq in Volatile.Read(ref _queues)) rq.NotifyArmed();
    }

    private int Take(RIORESULT[] array, int max)
    {
        long h = _c.Head, t = Volatile.Read(ref _c.Tail);
        int n = (int)Math.Min(t - h, max);
        var ring = _ring;
        var notifying = _notifying;
        int notified = 0;
        for (int k = 0; k < n; k++)
        {
            int i = (int)((h + k) & (ring.Length - 1));
            array[k] = ring[i];
            if (notifying[i]) notified++;
        }
        if (notified != 0) Interlocked.Add(ref _c.Notifiable, -notified);
        Volatile.Write(ref _c.Head, h + n);
        if (n != 0) Interlocked.Add(ref _c.Used, -n); // the entries are free for new requests
        return n;
    }

    /// <summary>Entries in the queue that may fire a notification (their request lacked RIO_MSG_DONT_NOTIFY).</summary>
    internal bool HasNotifying => Volatile.Read(ref _c.Notifiable) > 0;

    /// <summary>The lock RIONotify arms under (the one publishing fires under).</summary>
    internal Lock Gate => _gate;

    /// <summary>
    /// RIOResizeCompletionQueue: 0; WSAETOOMANYREFS when <paramref name="size"/> is below the results it holds and the
    /// requests reserved, or below the request queues' commitments; WSAENOBUFS when the memory is not there.
    /// </summary>
    internal int Resize(int size)
    {
        lock (_gate)
        {
            SetCredited(null); // credits held count as used: given back first, and none taken while the size changes
            try
            {
                long used = Volatile.Read(ref _c.Used);
                if (size < used || size < _committed) return Ws2Spi.WSAETOOMANYREFS;
                int capacity = Pow2((int)Math.Min(size, Math.Max(used, Math.Min(_ring.Length, InitialCapacity))));
                if (capacity != _ring.Length && !Reallocate(capacity)) return Ws2Spi.WSAENOBUFS;
                Size = size;
                return 0;
            }
            finally { RefreshCredited(); }
        }
    }

    /// <summary>RIOCloseCompletionQueue: later use of the queue is refused (WSAEINVAL, or RIO_CORRUPT_CQ from RIODequeueCompletion).</summary>
    internal void Close()
    {
        lock (_gate) _closed = true;
    }
}
