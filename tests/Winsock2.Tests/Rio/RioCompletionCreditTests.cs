using Winsock2.Providers.Core;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>
/// A completion queue with one posting direction lets it reserve its entries a batch at a time. What a batch reserved
/// ahead must never cost anyone else: a full queue still refuses exactly when its results and requests fill it, a second
/// request queue, a resize and a queue reused after its socket closed each find every entry that is really free.
/// </summary>
public class RioCompletionCreditTests : RioTest
{
    [Fact]
    public void RIOReceive_OnlyPostingDirection_ResultsFillTheQueue_WSAENOBUFSUntilOneIsDequeued()
    {
        var s = RioUdp(out var addr);
        var peer = PlainUdp(out _);
        var (t, cq, rq, _, id) = Rig(s, 16, cqSize: 2, maxReceives: 2, maxSends: 0);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 4), 1, 0, 1));
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 4, 4), 1, 0, 2));
        Assert.Equal(3, sendto(peer, Bytes("one"), 3, 0, addr, addr.Length));
        Assert.Equal(3, sendto(peer, Bytes("two"), 3, 0, addr, addr.Length));
        Eventually(() => ((RioCompletionQueue)cq).Count == 2, "both receives completed"); // two results nobody dequeued
        FailsWith(WSAENOBUFS, t.RIOReceive!(rq, new RIO_BUF(id, 8, 4), 1, 0, 3)); // no entry left for its result
        Assert.Equal(1ul, Dequeue(t, cq, 1)[0].RequestContext);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 8, 4), 1, 0, 3));
        Assert.Equal(2ul, Dequeue(t, cq, 1)[0].RequestContext);
        closesocket(peer);
        closesocket(s);
    }

    [Fact]
    public void RIOCreateRequestQueue_SecondQueueWhileTheFirstHoldsEntriesAhead_GetsEveryFreeEntry()
    {
        var a = RioUdp(out _);
        var b = RioUdp(out _);
        var (t, cq, rqa, _, id) = Rig(a, 64, cqSize: 8, maxReceives: 4, maxSends: 0);
        Assert.True(t.RIOReceive!(rqa, new RIO_BUF(id, 0, 4), 1, 0, 1)); // the only posting direction: reserves ahead
        var rqb = Rq(t, b, cq, maxReceives: 4, maxSends: 0);
        Receives(t, rqb, id, slot: 2, count: 4, context: 10); // the second queue's four
        Receives(t, rqa, id, slot: 9, count: 3, context: 2); // the first queue's other three
        Assert.Equal(8, Reserved(cq)); // exactly the eight requests posted
        closesocket(a);
        closesocket(b);
        Assert.Equal(8, Dequeue(t, cq, 8).Count(r => r.Status == WSA_OPERATION_ABORTED));
        Assert.Equal(0, Reserved(cq));
    }

    [Fact]
    public void RIOResizeCompletionQueue_AfterTheOnlyDirectionReservedAhead_ShrinksToWhatIsReallyUsed()
    {
        var s = RioUdp(out _);
        var (t, cq, rq, _, id) = Rig(s, 64, cqSize: 64, maxReceives: 8, maxSends: 0);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 4), 1, 0, 1));
        Assert.True(t.RIOResizeCompletionQueue!(cq, 8), $"RIOResizeCompletionQueue failed with {WSAGetLastError()}"); // one request, eight committed
        Receives(t, rq, id, slot: 1, count: 7, context: 2);
        Assert.Equal(8, Reserved(cq));
        closesocket(s);
        Assert.Equal(8, Dequeue(t, cq, 8).Length);
    }

    [Fact]
    public void RIOCreateRequestQueue_QueueReusedAfterItsOnlySocketClosed_EveryEntryFree()
    {
        var a = RioUdp(out _);
        var (t, cq, rqa, _, id) = Rig(a, 64, cqSize: 8, maxReceives: 8, maxSends: 0);
        Assert.True(t.RIOReceive!(rqa, new RIO_BUF(id, 0, 4), 1, 0, 1));
        closesocket(a); // its receive completes aborted; the entries it held ahead go back
        Assert.Equal(WSA_OPERATION_ABORTED, Dequeue(t, cq, 1)[0].Status);
        Assert.Equal(0, Reserved(cq));
        var b = RioUdp(out _);
        var rqb = Rq(t, b, cq, maxReceives: 8, maxSends: 0);
        Receives(t, rqb, id, slot: 0, count: 8, context: 0);
        closesocket(b);
        Assert.Equal(8, Dequeue(t, cq, 8).Length);
    }

    [Fact]
    public void RIOReceive_SecondQueueAttachesWhileTheFirstPostsOnAnotherThread_NoEntryOverbookedOrLost()
    {
        // The first queue's thread posts (reserving ahead) while this thread attaches a second queue, which revokes what
        // the first holds ahead. Each round the first thread has made a different number of posts when the attach
        // starts (it waits for that many), so the attach lands at different points of its posting.
        const int Rounds = 200, PerQueue = 24;
        var failures = new List<string>();
        for (int round = 0; round < Rounds && failures.Count == 0; round++)
        {
            var a = RioUdp(out _);
            var b = RioUdp(out _);
            var (t, cq, rqa, _, id) = Rig(a, 2 * PerQueue * 4, cqSize: 2 * PerQueue, maxReceives: PerQueue, maxSends: 0);
            int before = round % PerQueue, posted = 0, refusedA = 0;
            var poster = Run(() =>
            {
                for (int i = 0; i < PerQueue; i++)
                {
                    if (!t.RIOReceive!(rqa, new RIO_BUF(id, (uint)(4 * i), 4), 1, RIO_MSG_DEFER, i)) { refusedA = WSAGetLastError(); return; }
                    Volatile.Write(ref posted, i + 1);
                }
            });
            Eventually(() => Volatile.Read(ref posted) >= before || refusedA != 0, $"{before} posts of the first queue");
            var rqb = Rq(t, b, cq, maxReceives: PerQueue, maxSends: 0);
            for (int i = 0; i < PerQueue; i++)
                if (!t.RIOReceive!(rqb, new RIO_BUF(id, (uint)(4 * (PerQueue + i)), 4), 1, RIO_MSG_DEFER, 100 + i))
                {
                    failures.Add($"round {round}: the second queue's receive {i} refused with {WSAGetLastError()}");
                    break;
                }
            Assert.True(poster.Join(20_000), "the first queue's thread did not finish");
            if (refusedA != 0) failures.Add($"round {round}: the first queue's receive refused with {refusedA}");
            long reserved = Reserved(cq);
            if (failures.Count == 0 && reserved != 2 * PerQueue) failures.Add($"round {round}: {reserved} entries taken for {2 * PerQueue} requests");
            closesocket(a);
            closesocket(b);
            int results = Dequeue(t, cq, failures.Count == 0 ? 2 * PerQueue : 0).Length;
            if (failures.Count == 0 && Reserved(cq) != 0) failures.Add($"round {round}: {Reserved(cq)} entries still taken after all {results} results were dequeued");
            t.RIOCloseCompletionQueue!(cq);
            t.RIODeregisterBuffer!(id);
        }
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    [Fact]
    public void RIOResizeRequestQueue_OtherDirectionGetsALimit_CreditsTakenBackAndEveryEntryFree()
    {
        var s = RioUdp(out _);
        var (t, cq, rq, _, id) = Rig(s, 64, cqSize: 16, maxReceives: 8, maxSends: 0);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 4), 1, RIO_MSG_DEFER, 1)); // the only posting direction: reserves ahead
        Assert.True(t.RIOResizeRequestQueue!(rq, 8, 8), $"RIOResizeRequestQueue failed with {WSAGetLastError()}");
        for (int i = 0; i < 8; i++) Assert.True(t.RIOSend!(rq, new RIO_BUF(id, (uint)(8 + 4 * i), 4), 1, RIO_MSG_DEFER, 10 + i), $"send {i}");
        Assert.Equal(9, Reserved(cq)); // the nine requests, no credit left over
        closesocket(s);
        Assert.Equal(9, Dequeue(t, cq, 9).Length);
    }

    [Fact]
    public void RIOReceive_OnlyPostingDirectionBeyondTheRingsFirstCapacity_EveryRequestCompletesOnce()
    {
        const int Requests = 1024; // the completion queue's ring starts at 256 entries and grows as reservations need it
        var s = RioUdp(out _);
        var (t, cq, rq, _, id) = Rig(s, Requests * 4, cqSize: Requests, maxReceives: Requests, maxSends: 0);
        Receives(t, rq, id, slot: 0, count: Requests, context: 0, RIO_MSG_DEFER);
        Assert.Equal(Requests, Reserved(cq));
        closesocket(s);
        var contexts = Dequeue(t, cq, Requests).Select(r => (int)r.RequestContext).Order();
        Assert.Equal(Enumerable.Range(0, Requests), contexts);
        Assert.Equal(0, Reserved(cq));
    }

    /// <summary>Entries the completion queue has taken: results, requests and credits.</summary>
    private static long Reserved(RIO_CQ cq) => ((RioCompletionQueue)cq).Reserved;

    /// <summary>
    /// Posts <paramref name="count"/> receives into the 4-byte slots from <paramref name="slot"/> on, with request contexts
    /// from <paramref name="context"/> on; each must be accepted.
    /// </summary>
    private static void Receives(RIO_EXTENSION_FUNCTION_TABLE t, RIO_RQ rq, RIO_BUFFERID id, int slot, int count, int context, uint flags = 0)
    {
        for (int i = 0; i < count; i++)
            Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, (uint)(4 * (slot + i)), 4), 1, flags, context + i),
                $"receive {i} (context {context + i}) refused with {WSAGetLastError()}");
    }
}
