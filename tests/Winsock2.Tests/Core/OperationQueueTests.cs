using Winsock2.Kernel;
using Winsock2.Providers.Core;
using Winsock2.Runtime;
using KernelEvents = Winsock2.Kernel.Events;

namespace Winsock2.Tests.Core;

/// <summary>
/// The per-socket operation queue on its own (no socket): posting order, the outstanding limit, abort on close,
/// thread-exit rundown and the blocking wait's take-back. The attempts are a fake "readiness": a budget of requests
/// that may finish now.
/// </summary>
public class OperationQueueTests
{
    private readonly Lock _gate = new();
    private readonly OperationQueue _queue;

    public OperationQueueTests()
    {
        _queue = new OperationQueue(_gate, new Completion(Upcalls.Instance));
    }

    /// <summary>What the fake socket has ready: how many requests may finish now, and the order they finished in.</summary>
    private sealed class Feed
    {
        public int Ready;
        public readonly List<IoRequest> Finished = new();
        public int Attempts;
    }

    private static bool Attempt(Feed f, IoRequest r)
    {
        f.Attempts++;
        if (f.Ready == 0) return false;
        f.Ready--;
        f.Finished.Add(r);
        r.Bytes = r.TotalLength;
        return true;
    }

    private static readonly Func<Feed, IoRequest, bool> TryOne = Attempt;

    private static IoRequest Overlapped(WSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine = null, int size = 4) =>
        new([new WSABUF(new byte[size])], 1, 0, ov, routine, routine is null ? null : ThreadContext.Current.CallerThreadId());

    private static IoRequest Blocking(int size = 4) => new([new WSABUF(new byte[size])], 1, 0, null, null, null);

    /// <summary>Posts as a provider does: try at once when nothing is ahead, else pend (overlapped).</summary>
    private int Post(Feed feed, IoRequest r, out int errno)
    {
        lock (_gate)
        {
            errno = 0;
            if (_queue.TryFirst(feed, r, TryOne)) return 0;
            return _queue.Pend(r, out errno);
        }
    }

    private static bool Signaled(WSAEVENT e) => KernelEvents.TryGet(e, out var obj) && obj.IsSignaled;

    private static void WaitSignaled(WSAEVENT e, string what)
    {
        Assert.True(KernelEvents.TryGet(e, out var obj), "event exists");
        uint rc = Waits.WaitForEvents([obj], false, 10_000, alertable: false);
        Assert.True(rc == Ws2Spi.WSA_WAIT_EVENT_0, $"{what}: not signalled within 10 s");
    }

    private static void Until(Func<bool> condition, string what)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, $"timed out waiting for {what}");
            Thread.Sleep(1);
        }
    }

    [Fact]
    public void TryFirst_NothingQueued_FinishesAtOnce()
    {
        var feed = new Feed { Ready = 1 };
        var ov = new WSAOVERLAPPED();
        var r = Overlapped(ov);
        Assert.Equal(0, Post(feed, r, out _));
        Assert.Equal([r], feed.Finished);
        Assert.True(_queue.IsEmpty);
        Assert.False(ov.IsPending); // never started: the provider completes an immediate request itself
    }

    [Fact]
    public void TryFirst_RequestQueuedAhead_DoesNotAttempt()
    {
        var feed = new Feed();
        var first = Overlapped(new WSAOVERLAPPED());
        Assert.Equal(Ws2Spi.SOCKET_ERROR, Post(feed, first, out int errno));
        Assert.Equal(Ws2Spi.WSA_IO_PENDING, errno);
        feed.Ready = 5; // data came, but the queued request has not been given it yet
        int attempts = feed.Attempts;
        var second = Overlapped(new WSAOVERLAPPED());
        Assert.Equal(Ws2Spi.SOCKET_ERROR, Post(feed, second, out errno));
        Assert.Equal(Ws2Spi.WSA_IO_PENDING, errno);
        Assert.Equal(attempts, feed.Attempts); // not tried: it would overtake the first
        Assert.Equal(2, _queue.Count);
        lock (_gate) _queue.Pump(feed, TryOne);
        Assert.Equal([first, second], feed.Finished);
        Assert.True(_queue.IsEmpty);
    }

    [Fact]
    public void Pump_CompletesInPostingOrder_StopsAtFirstWouldBlock()
    {
        var feed = new Feed();
        var ovs = new WSAOVERLAPPED[4];
        var events = new WSAEVENT[4];
        var requests = new IoRequest[4];
        for (int i = 0; i < 4; i++)
        {
            events[i] = Upcalls.Instance.WPUCreateEvent(out _);
            Upcalls.Instance.WPUSetEvent(events[i], out _); // left set by an earlier use: pending resets it
            ovs[i] = new WSAOVERLAPPED { hEvent = events[i] };
            requests[i] = Overlapped(ovs[i], size: i + 1);
            Assert.Equal(Ws2Spi.SOCKET_ERROR, Post(feed, requests[i], out int errno));
            Assert.Equal(Ws2Spi.WSA_IO_PENDING, errno);
            Assert.True(ovs[i].IsPending);
            Assert.False(Signaled(events[i]));
        }
        try
        {
            feed.Ready = 2;
            lock (_gate) _queue.Pump(feed, TryOne);
            Assert.Equal([requests[0], requests[1]], feed.Finished);
            Assert.Equal(2, _queue.Count);
            for (int i = 0; i < 2; i++)
            {
                Assert.False(ovs[i].IsPending);
                Assert.True(Signaled(events[i]));
                Assert.Equal((nuint)(i + 1), ovs[i].InternalHigh);
                Assert.Equal(0u, ovs[i].OffsetHigh);
            }
            Assert.True(ovs[2].IsPending && ovs[3].IsPending);
            Assert.False(Signaled(events[2]));

            feed.Ready = 10;
            lock (_gate) _queue.Pump(feed, TryOne);
            Assert.Equal(requests, feed.Finished);
            Assert.True(_queue.IsEmpty);
            Assert.Equal(8, feed.Ready); // two taken, nothing attempted beyond the queue
        }
        finally
        {
            foreach (var e in events) Upcalls.Instance.WPUCloseEvent(e, out _);
        }
    }

    [Fact]
    public void Pend_BeyondMaxOutstanding_WouldBlock()
    {
        var feed = new Feed();
        try
        {
            for (int i = 0; i < OperationQueue.MaxOutstanding; i++)
            {
                Assert.Equal(Ws2Spi.SOCKET_ERROR, Post(feed, Overlapped(new WSAOVERLAPPED()), out int errno));
                Assert.Equal(Ws2Spi.WSA_IO_PENDING, errno);
            }
            Assert.Equal(OperationQueue.MaxOutstanding, _queue.Count);
            var ov = new WSAOVERLAPPED();
            var refused = Overlapped(ov);
            Assert.Equal(Ws2Spi.SOCKET_ERROR, Post(feed, refused, out int last));
            Assert.Equal(Ws2Spi.WSAEWOULDBLOCK, last);
            Assert.False(ov.IsPending); // untouched: no completion will come
            Assert.Equal(OperationQueue.MaxOutstanding, _queue.Count);

            feed.Ready = 1; // one finishes: room for one more
            lock (_gate) _queue.Pump(feed, TryOne);
            Assert.Equal(Ws2Spi.SOCKET_ERROR, Post(feed, Overlapped(new WSAOVERLAPPED()), out last));
            Assert.Equal(Ws2Spi.WSA_IO_PENDING, last);
        }
        finally
        {
            lock (_gate) _queue.AbortAll();
        }
        Assert.True(_queue.IsEmpty);
    }

    [Fact]
    public void AbortAll_OverlappedWithEvent_CompletesAbortedAndSignals()
    {
        var ev = Upcalls.Instance.WPUCreateEvent(out _);
        try
        {
            var ov = new WSAOVERLAPPED { hEvent = ev };
            Assert.Equal(Ws2Spi.SOCKET_ERROR, Post(new Feed(), Overlapped(ov), out int errno));
            Assert.Equal(Ws2Spi.WSA_IO_PENDING, errno);
            lock (_gate) _queue.AbortAll();
            Assert.True(_queue.IsEmpty);
            Assert.True(Signaled(ev));
            Assert.False(ov.IsPending);
            Assert.Equal((uint)Ws2Spi.WSA_OPERATION_ABORTED, ov.OffsetHigh);
            Assert.Equal((nuint)0, ov.InternalHigh);
        }
        finally { Upcalls.Instance.WPUCloseEvent(ev, out _); }
    }

    [Fact]
    public void AbortAll_OverlappedWithRoutine_QueuesRoutineWithAborted()
    {
        var calls = new List<(uint Error, uint Bytes)>();
        LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = (error, bytes, _, _) => calls.Add((error, bytes));
        var ov = new WSAOVERLAPPED();
        Assert.Equal(Ws2Spi.SOCKET_ERROR, Post(new Feed(), Overlapped(ov, routine), out int errno));
        Assert.Equal(Ws2Spi.WSA_IO_PENDING, errno);
        lock (_gate) _queue.AbortAll();
        Assert.Empty(calls); // queued to this thread, run only in an alertable wait
        Assert.Equal(Ws2Spi.WSA_WAIT_IO_COMPLETION, Waits.SleepEx(10_000, alertable: true));
        Assert.Equal([((uint)Ws2Spi.WSA_OPERATION_ABORTED, 0u)], calls);
    }

    [Fact]
    public void AbortAll_Blocked_CompletesWithEintr()
    {
        int rc = -1;
        var t = new Thread(() =>
        {
            var r = Blocking();
            lock (_gate) _queue.Enqueue(r);
            rc = _queue.Wait(r, 0); // no timeout
        }) { IsBackground = true };
        t.Start();
        Until(() => { lock (_gate) return _queue.Count == 1; }, "the blocking request to be queued");
        lock (_gate) _queue.AbortAll();
        Assert.True(t.Join(10_000), "the blocked thread did not return");
        Assert.Equal(Ws2Spi.WSAEINTR, rc);
        Assert.True(_queue.IsEmpty);
    }

    [Fact]
    public void FailAll_SessionEnded_CompletesEveryRequestWithTheError()
    {
        var ov = new WSAOVERLAPPED();
        Assert.Equal(Ws2Spi.SOCKET_ERROR, Post(new Feed(), Overlapped(ov), out _));
        int rc = -1;
        var t = new Thread(() =>
        {
            var r = Blocking();
            lock (_gate) _queue.Enqueue(r);
            rc = _queue.Wait(r, 0);
        }) { IsBackground = true };
        t.Start();
        Until(() => { lock (_gate) return _queue.Count == 2; }, "the blocking request to be queued");
        lock (_gate) _queue.FailAll(Ws2Spi.WSAEDISCON);
        Assert.True(t.Join(10_000), "the blocked thread did not return");
        Assert.Equal(Ws2Spi.WSAEDISCON, rc); // not WSAEINTR: only closesocket's abort interrupts
        Assert.Equal((uint)Ws2Spi.WSAEDISCON, ov.OffsetHigh);
        Assert.False(ov.IsPending);
        Assert.True(_queue.IsEmpty);
    }

    [Fact]
    public void Rundown_InitiatingThreadExits_CompletesAbortedKeepsOthersInOrder()
    {
        var feed = new Feed();
        var first = Overlapped(new WSAOVERLAPPED());
        Assert.Equal(Ws2Spi.SOCKET_ERROR, Post(feed, first, out _));

        var ev = Upcalls.Instance.WPUCreateEvent(out _);
        try
        {
            var ov = new WSAOVERLAPPED { hEvent = ev };
            int errno = 0;
            var t = new Thread(() => Post(feed, Overlapped(ov), out errno)) { IsBackground = true };
            t.Start();
            Assert.True(t.Join(10_000));
            Assert.Equal(Ws2Spi.WSA_IO_PENDING, errno);

            var last = Overlapped(new WSAOVERLAPPED());
            Assert.Equal(Ws2Spi.SOCKET_ERROR, Post(feed, last, out _));

            // The registry notices the exit on its next scan: wait for the completion, not for a time.
            WaitSignaled(ev, "the dead thread's request");
            Assert.False(ov.IsPending);
            Assert.Equal((uint)Ws2Spi.WSA_OPERATION_ABORTED, ov.OffsetHigh);
            Until(() => { lock (_gate) return _queue.Count == 2; }, "the request to leave the queue");

            feed.Ready = 10;
            lock (_gate) _queue.Pump(feed, TryOne);
            Assert.Equal([first, last], feed.Finished);
            Assert.True(_queue.IsEmpty);
        }
        finally { Upcalls.Instance.WPUCloseEvent(ev, out _); }
    }

    [Fact]
    public void Rundown_RequestCompletedBeforeExit_NotCompletedTwice()
    {
        var feed = new Feed();
        var ov = new WSAOVERLAPPED();
        IoRequest? r = null;
        var posted = new ManualResetEventSlim();
        var finish = new ManualResetEventSlim();
        var t = new Thread(() =>
        {
            r = Overlapped(ov);
            Post(feed, r, out _);
            posted.Set();
            finish.Wait();
        }) { IsBackground = true };
        t.Start();
        Assert.True(posted.Wait(10_000));
        feed.Ready = 1;
        lock (_gate) _queue.Pump(feed, TryOne);
        Assert.Equal(0u, ov.OffsetHigh);
        Assert.Null(r!.Rundown); // the registration went with the completion
        finish.Set();
        Assert.True(t.Join(10_000));
        Assert.Equal(0u, ov.OffsetHigh);
        Assert.Equal([r], feed.Finished);
    }

    [Fact]
    public void Wait_TimesOut_TakesRequestBack()
    {
        // SO_RCVTIMEO: a blocking receive that gets nothing within the timeout fails with WSAETIMEDOUT, and the
        // request is no longer queued (data arriving later is left for the next receive).
        var feed = new Feed();
        var r = Blocking();
        lock (_gate)
        {
            Assert.False(_queue.TryFirst(feed, r, TryOne));
            _queue.Enqueue(r);
        }
        Assert.Equal(Ws2Spi.WSAETIMEDOUT, _queue.Wait(r, 50));
        Assert.True(_queue.IsEmpty);
        feed.Ready = 1;
        lock (_gate) _queue.Pump(feed, TryOne);
        Assert.Empty(feed.Finished);
        Assert.Equal(1, feed.Ready);
    }

    [Fact]
    public void Wait_CompletedByPump_ReturnsResult()
    {
        var feed = new Feed();
        int rc = -1, bytes = 0;
        var t = new Thread(() =>
        {
            var r = Blocking(size: 7);
            lock (_gate) _queue.Enqueue(r);
            rc = _queue.Wait(r, 0);
            bytes = r.Bytes;
        }) { IsBackground = true };
        t.Start();
        Until(() => { lock (_gate) return _queue.Count == 1; }, "the blocking request to be queued");
        feed.Ready = 1;
        lock (_gate) _queue.Pump(feed, TryOne);
        Assert.True(t.Join(10_000), "the blocked thread did not return");
        Assert.Equal(0, rc);
        Assert.Equal(7, bytes);
    }

    [Fact]
    public void Pump_BlockingRequests_AllocatesNothing()
    {
        // The queue's own work on the hot path (try, queue, pump, complete) allocates nothing.
        var feed = new Feed();
        var requests = new IoRequest[64];
        for (int i = 0; i < requests.Length; i++) requests[i] = Blocking();
        void Round()
        {
            lock (_gate)
            {
                feed.Ready = 0;
                foreach (var r in requests)
                {
                    r.Done = false;
                    if (!_queue.TryFirst(feed, r, TryOne)) _queue.Enqueue(r);
                }
                feed.Ready = requests.Length;
                feed.Finished.Clear();
                _queue.Pump(feed, TryOne);
            }
        }
        feed.Finished.Capacity = requests.Length;
        Round(); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Round();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(_queue.IsEmpty);
    }

    [Fact]
    public void Offer_RequestsThatDoNotAccept_PassedOverAndKeepTheirPlace()
    {
        // Three waiting receives: for "a", for "b", for anything. An item for "b" goes to the first that accepts it.
        var forA = Blocking(); forA.Filter = "a";
        var forB = Blocking(); forB.Filter = "b";
        var any = Blocking();
        lock (_gate)
        {
            _queue.Enqueue(forA);
            _queue.Enqueue(forB);
            _queue.Enqueue(any);
            var taken = new List<IoRequest>();
            Assert.True(_queue.Offer(("b", taken), static (s, r) => r.Filter is null || Equals(r.Filter, s.Item1),
                static (s, r) => { s.taken.Add(r); return true; }));
            Assert.Equal([forB], taken);
            Assert.True(forB.Done);
            Assert.False(forA.Done);
            Assert.Equal(2, _queue.Count);
            // An item taken in two pieces (not used up by the first taker) goes on to the next that accepts it.
            var any2 = Blocking();
            _queue.Enqueue(any2);
            taken.Clear();
            int pieces = 0;
            Assert.True(_queue.Offer((taken, "c"), static (s, r) => r.Filter is null || Equals(r.Filter, s.Item2),
                (s, r) => { s.taken.Add(r); return ++pieces == 2; }));
            Assert.Equal([any, any2], taken);
            Assert.Equal(1, _queue.Count); // forA still waits
            // Nobody accepts: not used up, queue unchanged.
            Assert.False(_queue.Offer("z", static (z, r) => Equals(r.Filter, z), static (_, _) => true));
            Assert.Equal(1, _queue.Count);
        }
    }

    [Fact]
    public void FailWhere_OnlySelectedRequests_CompleteWithTheError()
    {
        var ev1 = Kernel.Events.Create();
        var ev2 = Kernel.Events.Create();
        var one = Overlapped(new WSAOVERLAPPED { hEvent = ev1 }); one.Filter = "leaf 1";
        var two = Overlapped(new WSAOVERLAPPED { hEvent = ev2 }); two.Filter = "leaf 2";
        var blocked = Blocking(); blocked.Filter = "leaf 1";
        lock (_gate)
        {
            Assert.Equal(Ws2Spi.SOCKET_ERROR, _queue.Pend(one, out int e1));
            Assert.Equal(Ws2Spi.WSA_IO_PENDING, e1);
            Assert.Equal(Ws2Spi.SOCKET_ERROR, _queue.Pend(two, out _));
            _queue.Enqueue(blocked);
            _queue.FailWhere("leaf 1", static (leaf, r) => Equals(r.Filter, leaf), Ws2Spi.WSA_OPERATION_ABORTED);
            Assert.Equal(1, _queue.Count);
        }
        WaitSignaled(ev1, "leaf 1's overlapped receive");
        Assert.Equal((uint)Ws2Spi.WSA_OPERATION_ABORTED, one.Overlapped!.OffsetHigh);
        Assert.Equal(Ws2Spi.WSAEINTR, blocked.Error); // a blocked receive reports the interruption
        Assert.False(Signaled(ev2));
        lock (_gate) _queue.AbortAll();
    }
}
