using Winsock2.Providers.Rooted;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// A Registered I/O leaf whose application polls its completion queue reads its messages on the polling thread: the
/// provider's threads leave the readiness to it, and RIONotify (the application about to wait) or closesocket hand
/// what was left back to the provider.
/// </summary>
public sealed class RioLeafDeferredReadTests : RioRootedTest
{
    /// <summary>A joined leaf with a polled completion queue and one posted receive, its connection, and the threads that read it.</summary>
    private (SOCKET Root, SOCKET Leaf, RIO_EXTENSION_FUNCTION_TABLE T, RIO_CQ Cq, Connection Conn, List<int> Readers) PolledLeaf(
        RIO_NOTIFICATION_COMPLETION? notification = null)
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        var t = RioTable(leaf);
        var cq = NewCq(t, 1024, notification);
        var rq = NewRq(t, leaf, cq);
        var id = NewBuffer(t, new byte[4096]);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 4096), 1, 0, 1));
        var conn = ContextOf<LeafSocket>(leaf).Conn!;
        var readers = new List<int>();
        conn.ReadReturned = _ => { lock (readers) readers.Add(Environment.CurrentManagedThreadId); };
        return (root, leaf, t, cq, conn, readers);
    }

    /// <summary>The root sends one message; the leaf's reactor sees it and leaves it to the polling thread. Its length.</summary>
    private static uint SendLeftForThePoller(SOCKET root, Connection conn, int seed)
    {
        var message = TestBytes.Pattern(1000, seed);
        Assert.Equal(message.Length, send(root, message, message.Length, 0));
        Eventually(() => conn.InputDeferred, "the reactor to leave the message to the polling thread", 10_000);
        return (uint)message.Length;
    }

    /// <summary>Every read of the leaf was made on the calling thread, and there was one.</summary>
    private static void ReadHereOnly(List<int> readers)
    {
        lock (readers)
        {
            Assert.NotEmpty(readers);
            Assert.All(readers, id => Assert.Equal(Environment.CurrentManagedThreadId, id));
        }
    }

    [Fact]
    public void RIODequeueCompletion_PolledLeafQueue_MessageReadOnTheDequeuingThread()
    {
        var (root, _, t, cq, conn, readers) = PolledLeaf();
        uint length = SendLeftForThePoller(root, conn, 3);
        var r = Take(t, cq, 1)[0];
        Assert.Equal((0, 1ul, length), (r.Status, r.RequestContext, r.BytesTransferred));
        ReadHereOnly(readers);
    }

    [Fact]
    public void RIONotify_InputLeftForThePoller_ReadAndNotifiedWhenArmed()
    {
        var ev = NewEvent();
        var n = new RIO_NOTIFICATION_COMPLETION { Type = RIO_EVENT_COMPLETION };
        n.Event.EventHandle = ev;
        var (root, _, t, cq, conn, readers) = PolledLeaf(n); // not armed yet: the application polls
        uint length = SendLeftForThePoller(root, conn, 5);
        Assert.Equal(0, t.RIONotify!(cq)); // the application is about to wait: what was left is read now, here
        ReadHereOnly(readers);
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 20_000, false));
        var r = TakeNow(t, cq);
        Assert.Single(r);
        Assert.Equal((0, 1ul, length), (r[0].Status, r[0].RequestContext, r[0].BytesTransferred));
    }

    [Fact]
    public void closesocket_LeafWithInputLeftForThePoller_ConnectionReadsOnToTheEnd()
    {
        var (root, leaf, _, _, conn, _) = PolledLeaf();
        SendLeftForThePoller(root, conn, 7);
        Ok(closesocket(leaf), "closesocket(leaf)");
        Eventually(() => !conn.InputDeferred && conn.IsTerminated, "the closed leaf's connection to read on to the root's LEAVE", 20_000);
    }
}
