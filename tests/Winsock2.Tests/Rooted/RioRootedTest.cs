using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>Registered I/O on rooted sockets: roots and leaves made with WSA_FLAG_REGISTERED_IO, the table, queues and slices.</summary>
public abstract class RioRootedTest : RootedTest
{
    protected const uint RioRootFlags = RootFlags | WSA_FLAG_REGISTERED_IO;
    protected const uint RioLeafFlags = LeafFlags | WSA_FLAG_REGISTERED_IO;

    /// <summary>A Registered I/O root listening on loopback, and its address.</summary>
    protected (SOCKET Root, byte[] Address) RioRoot()
    {
        var root = Track(WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, RioRootFlags));
        var any = Loopback();
        Ok(bind(root, any, any.Length), "bind root");
        Ok(listen(root, 16), "listen root");
        return (root, Loopback(PortOf(root)));
    }

    /// <summary>A Registered I/O leaf joined to <paramref name="root"/>, and the root's per-leaf socket for it.</summary>
    protected (SOCKET Leaf, SOCKET Handle) RioJoin(SOCKET root, byte[] addr)
    {
        var leaf = Track(WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, RioLeafFlags));
        SOCKET handle = SOCKET.Invalid;
        var acceptor = Run(() => handle = accept(root));
        Assert.True(WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH).IsValid, $"join failed with {WSAGetLastError()}");
        Assert.True(acceptor.Join(10_000), "accept did not return");
        return (leaf, Track(handle));
    }

    protected static RIO_EXTENSION_FUNCTION_TABLE RioTable(SOCKET s)
    {
        var t = new RIO_EXTENSION_FUNCTION_TABLE();
        Ok(WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO, t, out _, null, null), "WSAIoctl(WSAID_MULTIPLE_RIO)");
        return t;
    }

    protected static RIO_CQ NewCq(RIO_EXTENSION_FUNCTION_TABLE t, uint size = 1024, RIO_NOTIFICATION_COMPLETION? n = null) =>
        t.RIOCreateCompletionQueue!(size, n) ?? throw new InvalidOperationException($"RIOCreateCompletionQueue failed with {WSAGetLastError()}");

    /// <summary>
    /// A completion queue that sets <paramref name="ev"/>, its notification armed: while the application waits, the
    /// provider's own threads read the leaf (a queue the application polls is read by the polling thread).
    /// </summary>
    protected RIO_CQ NewArmedCq(RIO_EXTENSION_FUNCTION_TABLE t, out WSAEVENT ev)
    {
        ev = NewEvent();
        var n = new RIO_NOTIFICATION_COMPLETION { Type = RIO_EVENT_COMPLETION };
        n.Event.EventHandle = ev;
        var cq = NewCq(t, 1024, n);
        Assert.Equal(0, t.RIONotify!(cq));
        return cq;
    }

    protected static RIO_RQ NewRq(RIO_EXTENSION_FUNCTION_TABLE t, SOCKET s, RIO_CQ cq, uint receives = 16, uint sends = 16) =>
        t.RIOCreateRequestQueue!(s, receives, 1, sends, 1, cq, cq, 0) ?? throw new InvalidOperationException($"RIOCreateRequestQueue failed with {WSAGetLastError()}");

    protected static RIO_BUFFERID NewBuffer(RIO_EXTENSION_FUNCTION_TABLE t, byte[] b) =>
        t.RIORegisterBuffer!(b, (uint)b.Length) ?? throw new InvalidOperationException($"RIORegisterBuffer failed with {WSAGetLastError()}");

    /// <summary>Dequeues until <paramref name="count"/> results arrived (the deadline only fails a stuck test).</summary>
    protected static RIORESULT[] Take(RIO_EXTENSION_FUNCTION_TABLE t, RIO_CQ cq, int count) => Rio.RioWait.Dequeue(t, cq, count);

    /// <summary>What is in the queue now (no wait).</summary>
    protected static RIORESULT[] TakeNow(RIO_EXTENSION_FUNCTION_TABLE t, RIO_CQ cq)
    {
        var batch = new RIORESULT[1024];
        uint n = t.RIODequeueCompletion!(cq, batch, (uint)batch.Length);
        Assert.NotEqual(RIO_CORRUPT_CQ, n);
        return batch[..(int)n];
    }
}
