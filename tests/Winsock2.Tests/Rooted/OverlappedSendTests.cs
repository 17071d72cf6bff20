using System.Buffers.Binary;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// Overlapped sends on every rooted socket: WSASend returns at once (0 or WSA_IO_PENDING), completes when room and
/// tokens allow, in posting order, and is aborted by closesocket or failed by the end of the session.
/// </summary>
public class OverlappedSendTests : RootedTest
{
    private const int Size = 500;

    /// <summary>Posts overlapped sends of message i (its first byte is i) with completion routines that record their order.</summary>
    private static (List<int> Results, List<int> Order) PostWithRoutines(SOCKET s, int count)
    {
        var results = new List<int>();
        var order = new List<int>();
        for (int i = 0; i < count; i++)
        {
            int index = i;
            var msg = new byte[Size];
            msg[0] = (byte)i;
            int rc = WSASend(s, [new WSABUF(msg)], 1, out _, 0, new WSAOVERLAPPED(), (error, bytes, _, _) =>
            {
                Assert.Equal(0u, error);
                Assert.Equal((uint)Size, bytes);
                order.Add(index);
            });
            results.Add(rc == 0 ? 0 : WSAGetLastError());
        }
        return (results, order);
    }

    /// <summary>Runs completion routines (alertable waits) until <paramref name="count"/> have run; bounded.</summary>
    private static void RunRoutines(List<int> order, int count)
    {
        long deadline = Environment.TickCount64 + 30_000;
        while (order.Count < count)
        {
            Assert.True(Environment.TickCount64 < deadline, $"only {order.Count} of {count} sends completed");
            SleepEx(1_000, true);
        }
    }

    private static void ReceivesInOrder(SOCKET s, int count)
    {
        Ok(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, 30_000)); // a lost message fails the test instead of hanging it
        var buf = new byte[Size];
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(Size, recv(s, buf, buf.Length, 0));
            Assert.Equal((byte)i, buf[0]);
        }
    }

    [Fact]
    public void WSASend_OverlappedOnShapedNonblockingLeaf_PendsAtOnceCompletesInPostingOrder()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _, _) = JoinWithQos(root, addr, Qos(Spec(1_000, SERVICETYPE_CONTROLLEDLOAD, bucket: 1_000)));
        uint on = 1;
        Ok(ioctlsocket(leaf, FIONBIO, ref on));
        var (results, order) = PostWithRoutines(leaf, 8);
        // The 1,000-byte bucket lets the first messages through at once; the rest wait for tokens without blocking.
        Assert.All(results, rc => Assert.True(rc is 0 or WSA_IO_PENDING, $"WSASend failed with {rc}"));
        Assert.Contains(WSA_IO_PENDING, results);
        RunRoutines(order, 8);
        Assert.Equal(Enumerable.Range(0, 8), order);
        ReceivesInOrder(root, 8);
    }

    [Fact]
    public void WSASend_OverlappedOnShapedPerLeafSocket_PendsAndLeafReceivesInOrder()
    {
        var (root, addr) = ListeningRoot();
        var shaped = Spec(1_000, SERVICETYPE_CONTROLLEDLOAD, bucket: 1_000);
        var (leaf, handle, _) = JoinWithQos(root, addr, Qos(shaped, shaped));
        var (results, order) = PostWithRoutines(handle, 8);
        Assert.Contains(WSA_IO_PENDING, results);
        RunRoutines(order, 8);
        Assert.Equal(Enumerable.Range(0, 8), order);
        ReceivesInOrder(leaf, 8);
    }

    /// <summary>A leaf shaped to 100 B/s: after one message, the next pends for seconds.</summary>
    private (SOCKET Root, SOCKET Leaf, SOCKET Handle, WSAOVERLAPPED Pending, WSAEVENT Event) OnePending()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, handle, _) = JoinWithQos(root, addr, Qos(Spec(100, SERVICETYPE_CONTROLLEDLOAD, bucket: 100)));
        var msg = new byte[Size];
        Assert.Equal(Size, send(leaf, msg, msg.Length, 0)); // the bucket goes into debt: 4 s until the next may leave
        var ev = NewEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        Fails(WSA_IO_PENDING, WSASend(leaf, [new WSABUF(msg)], 1, out _, 0, ov, null));
        return (root, leaf, handle, ov, ev);
    }

    [Fact]
    public void WSASend_OverlappedPendingWhenClosed_WSA_OPERATION_ABORTED()
    {
        var (_, leaf, _, ov, ev) = OnePending();
        Ok(closesocket(leaf));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 10_000, false));
        Assert.Equal((uint)WSA_OPERATION_ABORTED, ov.OffsetHigh);
    }

    [Fact]
    public void WSASend_OverlappedPendingWhenSessionEnds_FailsWithWSAEDISCON()
    {
        var (_, leaf, handle, ov, ev) = OnePending();
        Ok(closesocket(handle)); // the root drops the leaf gracefully
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 10_000, false));
        Assert.False(WSAGetOverlappedResult(leaf, ov, out _, false, out _));
        Assert.Equal(WSAEDISCON, WSAGetLastError());
    }

    [Fact]
    public void WSASend_NonblockingBehindPendingOverlapped_WSAEWOULDBLOCK()
    {
        var (root, leaf, _, ov, ev) = OnePending();
        uint on = 1;
        Ok(ioctlsocket(leaf, FIONBIO, ref on));
        var msg = new byte[Size];
        Fails(WSAEWOULDBLOCK, send(leaf, msg, msg.Length, 0)); // it may not overtake the pending send
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 30_000, false));
        Assert.True(WSAGetOverlappedResult(leaf, ov, out uint sent, false, out _));
        Assert.Equal((uint)Size, sent);
        ReceivesInOrder(root, 1);
    }

    /// <summary>A root whose one leaf receives at <paramref name="rate"/> B/s, with a 64 KiB queue per leaf.</summary>
    private (SOCKET Root, SOCKET Leaf) RootWithPacedLeaf(uint rate, uint bucket = 16_000)
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 64 * 1024));
        var (leaf, _, _) = JoinWithQos(root, addr,
            Qos(FLOWSPEC.NotSpecified(SERVICETYPE_BESTEFFORT), Spec(rate, SERVICETYPE_CONTROLLEDLOAD, bucket: bucket)));
        return (root, leaf);
    }

    [Fact]
    public void WSASend_OverlappedOnRootHeldBySlowLeaf_PendsThenCompletesInPostingOrder()
    {
        var (root, leaf) = RootWithPacedLeaf(200_000);
        var order = new List<int>();
        int posted = 0;
        bool pended = false;
        // Post until the leaf's queue is full, then five more.
        for (int extra = 0; extra < 5; posted++)
        {
            Assert.True(posted < 10_000, "the root's sends never pended");
            int index = posted;
            var msg = new byte[1_000];
            BinaryPrimitives.WriteInt32LittleEndian(msg, index);
            int rc = WSASend(root, [new WSABUF(msg)], 1, out _, 0, new WSAOVERLAPPED(), (error, _, _, _) =>
            {
                Assert.Equal(0u, error);
                order.Add(index);
            });
            if (rc != 0) Assert.Equal(WSA_IO_PENDING, WSAGetLastError());
            pended |= rc != 0;
            if (pended) extra++;
        }
        int total = posted;
        var reader = Run(() =>
        {
            var buf = new byte[2_000];
            for (int i = 0; i < total; i++)
            {
                Assert.Equal(1_000, recv(leaf, buf, buf.Length, 0));
                Assert.Equal(i, BinaryPrimitives.ReadInt32LittleEndian(buf));
            }
        });
        RunRoutines(order, total);
        Assert.Equal(Enumerable.Range(0, total), order);
        Assert.True(reader.Join(30_000), "the leaf did not receive every message");
    }

    [Fact]
    public void WSASend_OverlappedPendingOnRootWhenClosed_WSA_OPERATION_ABORTED()
    {
        var (root, _) = RootWithPacedLeaf(100, bucket: 100);
        var ev = NewEvent();
        WSAOVERLAPPED? pending = null;
        // Post until four sends pend: the last needs some 4 KB drained at 100 B/s before it could complete.
        for (int i = 0, pended = 0; pended < 4; i++)
        {
            Assert.True(i < 10_000, "the root's sends never pended");
            var ov = new WSAOVERLAPPED { hEvent = pended == 3 ? ev : default };
            if (WSASend(root, [new WSABUF(new byte[1_000])], 1, out _, 0, ov, null) != 0)
            {
                Assert.Equal(WSA_IO_PENDING, WSAGetLastError());
                pended++;
                pending = ov;
            }
        }
        Ok(closesocket(root));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 10_000, false));
        Assert.Equal((uint)WSA_OPERATION_ABORTED, pending!.OffsetHigh);
    }

    [Fact]
    public void send_MessageLargerThanQueueLimit_LeavesWhenQueueIsEmpty()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        Ok(setsockopt(leaf, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 64 * 1024));
        uint on = 1;
        Ok(ioctlsocket(leaf, FIONBIO, ref on));
        var big = new byte[100 * 1024];
        big[^1] = 7;
        Assert.Equal(big.Length, send(leaf, big, big.Length, 0)); // never WSAEWOULDBLOCK for good
        var got = new byte[big.Length];
        Assert.Equal(big.Length, recv(root, got, got.Length, 0));
        Assert.Equal(7, got[^1]);
    }
}
