using System.Diagnostics;
using Winsock2.Providers.Rooted;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// Backpressure end to end: a receiving socket holds at most SO_RCVBUF of unread messages per connection, then the
/// provider stops reading, TCP's window closes, the sender's own bounded queue fills and the sender is told.
/// Every load loop is bounded by count (1 GiB offered at most) and by time.
/// </summary>
public class FlowControlTests : RootedTest
{
    private const long OfferLimit = 1L << 30;
    private const int Slack = 16 << 20;

    private static Connection ConnOf(SOCKET s) => ContextOf<RootedSocket>(s) switch
    {
        LeafSocket l => l.Conn!,
        LeafHandle h => h.Conn!,
        _ => throw new InvalidOperationException("no connection"),
    };

    /// <summary>The process's footprint after a full collection: managed heap and working set.</summary>
    private static (long Heap, long WorkingSet) Footprint()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        using var p = Process.GetCurrentProcess();
        return (heap, p.WorkingSet64);
    }

    private static void AssertGrowthWithin((long Heap, long WorkingSet) before, long bound, string who)
    {
        var after = Footprint();
        long heap = after.Heap - before.Heap, ws = after.WorkingSet - before.WorkingSet;
        Assert.True(heap <= bound + Slack, $"{who}: heap grew {heap >> 20} MiB, bound {bound >> 20} MiB + 16 MiB");
        Assert.True(ws <= bound + Slack, $"{who}: working set grew {ws >> 20} MiB, bound {bound >> 20} MiB + 16 MiB");
    }

    /// <summary>What a root holds for one leaf that reads nothing: its queue (the shared stream behind it) and a chunk.</summary>
    private static long RootBound(int leafQueue) => leafQueue + RootedLimits.ChunkSize + RootedLimits.MaxMessage;

    /// <summary>
    /// Sends 16 KiB messages from a nonblocking sender until it is told to wait and no FD_WRITE comes back within
    /// 2 s (nothing drains), or 1 GiB was offered. Returns the bytes accepted.
    /// </summary>
    private long OfferUntilStopped(SOCKET sender, out int lastError)
    {
        var ev = NewEvent();
        Ok(WSAEventSelect(sender, ev, FD_WRITE)); // also makes the socket nonblocking
        var msg = new byte[16_384];
        long offered = 0;
        lastError = 0;
        while (offered < OfferLimit)
        {
            if (send(sender, msg, msg.Length, 0) == msg.Length) { offered += msg.Length; continue; }
            lastError = WSAGetLastError();
            if (lastError != WSAEWOULDBLOCK) break;
            if (WSAWaitForMultipleEvents(1, [ev], false, 2_000, false) == WSA_WAIT_TIMEOUT) break; // the sender waits: nothing drains
            WSAResetEvent(ev);
        }
        return offered;
    }

    [Fact]
    public void Receive_NeverReadingLeaf_NonblockingRootWouldBlock_MemoryBounded()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 1 << 20));
        var (leaf, _) = JoinAccepted(root, addr); // its application never reads
        var before = Footprint();
        long offered = OfferUntilStopped(root, out int error);
        Assert.Equal(WSAEWOULDBLOCK, error); // the root is told, long before 1 GiB
        Assert.True(offered < OfferLimit / 4, $"the root sent {offered >> 20} MiB to a leaf that reads nothing");
        AssertGrowthWithin(before, RootedLimits.ReceiveBound(RootedLimits.DefaultReceiveBuffer) + RootBound(1 << 20), "leaf that never reads");
        Assert.True(ConnOf(leaf).Unread <= RootedLimits.ReceiveBound(RootedLimits.DefaultReceiveBuffer));
    }

    [Fact]
    public void Receive_NeverReadingLeaf_BlockingRootSendTimesOut_MemoryBounded()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 1 << 20));
        Ok(setsockopt(root, SOL_SOCKET, SO_SNDTIMEO, 1_000));
        JoinAccepted(root, addr);
        var before = Footprint();
        var msg = new byte[16_384];
        long offered = 0;
        int rc;
        while ((rc = send(root, msg, msg.Length, 0)) == msg.Length && offered < OfferLimit) offered += msg.Length;
        Assert.Equal(SOCKET_ERROR, rc);
        Assert.Equal(WSAETIMEDOUT, WSAGetLastError()); // the blocking send waited for room, then gave up
        AssertGrowthWithin(before, RootedLimits.ReceiveBound(RootedLimits.DefaultReceiveBuffer) + RootBound(1 << 20), "leaf that never reads");
    }

    /// <summary>
    /// Under eviction a paced root (it keeps pace with a healthy leaf) still evicts a leaf whose application never reads:
    /// that leaf's buffer fills, its reading stops, and its queue at the root passes the limit.
    /// </summary>
    [Fact]
    public void Receive_NeverReadingLeaf_PacedRootEvictPolicy_LeafEvicted_MemoryBounded()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_SLOW_LEAF_POLICY, MP_POLICY_EVICT));
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 1 << 20));
        var (_, handle) = JoinAccepted(root, addr); // its application never reads
        var (healthy, _) = JoinAccepted(root, addr);
        var ev = NewEvent();
        Ok(WSAEventSelect(handle, ev, FD_CLOSE));
        var before = Footprint();
        const int size = 16_384;
        var msg = new byte[size];
        var buf = new byte[size + 1];
        long offered = 0;
        int i = 0;
        while (offered < OfferLimit / 4 && WSAWaitForMultipleEvents(1, [ev], false, 0, false) == WSA_WAIT_TIMEOUT)
        {
            // A burst of 8, then the healthy leaf takes it all: the sender goes at a reading leaf's pace.
            for (int k = 0; k < 8; k++, i++)
            {
                BitConverter.GetBytes(i).CopyTo(msg, 0);
                Assert.Equal(size, send(root, msg, size, 0)); // under eviction the root never waits
                offered += size;
            }
            for (int k = i - 8; k < i; k++)
            {
                Assert.Equal(size, recv(healthy, buf, buf.Length, 0));
                Assert.Equal(k, BitConverter.ToInt32(buf, 0));
            }
        }
        Assert.Equal(WSAECONNABORTED, WaitEvents(handle, ev, FD_CLOSE).iErrorCode[FD_CLOSE_BIT]);
        Assert.True(offered < OfferLimit / 4, $"a leaf that reads nothing was not evicted by a paced root after {offered >> 20} MiB");
        AssertGrowthWithin(before, RootedLimits.ReceiveBound(RootedLimits.DefaultReceiveBuffer) + RootBound(1 << 20), "evicted leaf");
    }

    [Fact]
    public void Receive_NeverReadingRoot_FloodingLeafWouldBlock_MemoryBounded()
    {
        var (root, addr) = ListeningRoot(); // its application never reads
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 1 << 20));
        var leaf = NewLeaf();
        Ok(setsockopt(leaf, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 1 << 20));
        SOCKET handle = SOCKET.Invalid;
        var acceptor = Run(() => handle = accept(root));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000));
        Track(handle);
        var before = Footprint();
        long offered = OfferUntilStopped(leaf, out int error);
        Assert.Equal(WSAEWOULDBLOCK, error);
        Assert.True(offered < OfferLimit / 4, $"the leaf sent {offered >> 20} MiB to a root that reads nothing");
        AssertGrowthWithin(before, RootedLimits.ReceiveBound(RootedLimits.DefaultReceiveBuffer) + (1 << 20), "root that never reads");
        Assert.True(ConnOf(handle).Unread <= RootedLimits.ReceiveBound(RootedLimits.DefaultReceiveBuffer));
    }

    [Fact]
    public void Receive_StoppedReaderResumesWhenDrained_EveryMessageInOrder()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 256 * 1024));
        var (leaf, _) = JoinAccepted(root, addr);
        Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVBUF, 64 * 1024));
        // The leaf reads nothing until the root is told to wait: everything between is held by the leaf's full
        // buffer, the kernels' buffers and the root's queue.
        var ev = NewEvent();
        Ok(WSAEventSelect(root, ev, FD_WRITE));
        var msg = new byte[4096];
        int sent = 0;
        while (true)
        {
            BitConverter.GetBytes(sent).CopyTo(msg, 0);
            if (send(root, msg, msg.Length, 0) != msg.Length) break;
            Assert.True(++sent < 250_000, "backpressure never applied");
        }
        Assert.Equal(WSAEWOULDBLOCK, WSAGetLastError());
        var buf = new byte[8192];
        for (int i = 0; i < sent; i++)
        {
            Assert.Equal(msg.Length, recv(leaf, buf, buf.Length, 0));
            Assert.Equal(i, BitConverter.ToInt32(buf, 0)); // nothing lost, duplicated or reordered across the stop
        }
        WaitEvents(root, ev, FD_WRITE); // room again
    }

    [Fact]
    public void SetSockOpt_SO_RCVBUF_ReportedAndBoundsUnread()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, handle) = JoinAccepted(root, addr);
        var v = new byte[4];
        int len = 4;
        Ok(getsockopt(leaf, SOL_SOCKET, SO_RCVBUF, v, ref len));
        Assert.Equal(RootedLimits.DefaultReceiveBuffer, BitConverter.ToInt32(v));
        Fails(WSAEINVAL, setsockopt(leaf, SOL_SOCKET, SO_RCVBUF, -1));
        Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVBUF, 32 * 1024));
        len = 4;
        Ok(getsockopt(leaf, SOL_SOCKET, SO_RCVBUF, v, ref len));
        Assert.Equal(32 * 1024, BitConverter.ToInt32(v));
        // The root's per-leaf sockets share the root's value.
        Ok(setsockopt(root, SOL_SOCKET, SO_RCVBUF, 48 * 1024));
        len = 4;
        Ok(getsockopt(handle, SOL_SOCKET, SO_RCVBUF, v, ref len));
        Assert.Equal(48 * 1024, BitConverter.ToInt32(v));

        // A leaf that reads nothing holds at most its buffer plus one read, however much the root offers.
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 256 * 1024));
        Assert.Equal(WSAEWOULDBLOCK, OfferUntilStoppedError(root));
        var conn = ConnOf(leaf);
        Eventually(() => conn.ReadPaused, "the leaf to stop reading");
        Assert.True(conn.Unread <= RootedLimits.ReceiveBound(32 * 1024) - RootedLimits.MaxMessage, $"{conn.Unread} bytes unread");

        // Raising the limit lets the stopped connection read again.
        Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVBUF, 8 << 20));
        Eventually(() => conn.Unread > 64 * 1024, "the leaf to read again under the raised limit");
    }

    private int OfferUntilStoppedError(SOCKET sender)
    {
        OfferUntilStopped(sender, out int error);
        return error;
    }
}
