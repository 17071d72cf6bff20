using System.Net;
using System.Net.Sockets;
using Winsock2.Providers.Rooted.Wire;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// A root held back by a leaf that never reads (backpressure), then that leaf goes away: the root's waiting sends go
/// on — also when the application had closed that leaf's per-leaf socket first, so its connection was still draining
/// its share of the stream when it ended — and a send waiting on the dead leaf's own per-leaf socket fails with how
/// the connection ended. The leaf is a plain TCP socket that speaks the join and then never reads, so the root's
/// queue and both kernel buffers fill, and its end (a reset, or nothing at all) is the test's to choose.
/// </summary>
public class DrainingLeafTests : RootedTest
{
    private const int Size = 256 * 1024;

    private sealed class RawLeaf : IDisposable
    {
        public required Socket Socket { get; init; }
        public required SOCKET Handle { get; init; }

        /// <summary>The leaf dies the way a killed process with unread data does: a TCP reset.</summary>
        public void Reset()
        {
            Socket.LingerState = new LingerOption(true, 0);
            Socket.Close();
        }

        public void Dispose() => Socket.Dispose();
    }

    /// <summary>A leaf that joins (JOIN_REQUEST by hand) and never reads; the root's per-leaf socket for it.</summary>
    private RawLeaf JoinRawLeaf(SOCKET root)
    {
        // The leaf never speaks after its request: no dead-peer verdict (heartbeats off), only what the test does ends it.
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_HEARTBEAT_INTERVAL, 0));
        SOCKET handle = SOCKET.Invalid;
        var acceptor = Run(() => handle = accept(root));
        var raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 8192 };
        raw.Connect(new IPEndPoint(IPAddress.Loopback, PortOf(root)));
        raw.Send(new JoinRequest(JoinDirection.LeafInitiated, JL_BOTH, [], null).Encode());
        Assert.True(acceptor.Join(10_000), "accept did not return");
        Track(handle);
        // Small kernel buffers on both ends (no autotuning): the kernel can take only a few KiB of what the root
        // queues, so once the queue is full no later write can make room for another message.
        ((Providers.Rooted.LeafHandle)ContextOf<Providers.Rooted.RootedSocket>(handle)).Conn!.OsSocket.SendBufferSize = 4096;
        return new RawLeaf { Socket = raw, Handle = handle };
    }

    /// <summary>
    /// One message fills the queue: <see cref="Size"/> bytes, the queue limit. A queue takes a message when it is empty
    /// or the message fits under the limit, so the next message waits until every byte of this one is written — which
    /// the small kernel buffers of a leaf that never reads never allow.
    /// </summary>
    private static void FillQueue(SOCKET root, SOCKET s)
    {
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, Size));
        Assert.Equal(Size, send(s, new byte[Size], Size, 0));
    }

    /// <summary>
    /// Returns once the rooted writer has done everything scheduled before this call: it works through one queue in
    /// order, so a message another session sends now reaches its leaf only after those earlier turns (here: the root's
    /// turn that closing the per-leaf socket scheduled, which finds the draining leaf still holding the stream back).
    /// </summary>
    private void WriterCaughtUp()
    {
        var (root2, addr2) = ListeningRoot();
        var (leaf2, _) = JoinAccepted(root2, addr2);
        SendText(root2, "after");
        Ok(setsockopt(leaf2, SOL_SOCKET, SO_RCVTIMEO, 10_000));
        Assert.Equal("after", RecvText(leaf2));
    }

    /// <summary>An overlapped send that must pend behind the held-back queue; its event is signalled when it completes.</summary>
    private WSAOVERLAPPED PostPending(SOCKET s, out WSAEVENT ev)
    {
        ev = NewEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        Fails(WSA_IO_PENDING, WSASend(s, [new WSABUF(new byte[Size])], 1, out _, 0, ov, null));
        return ov;
    }

    [Fact]
    public void WSASend_RootPendingBehindDrainingLeaf_CompletesWhenThatLeafResets()
    {
        var (root, _) = ListeningRoot();
        using var leaf = JoinRawLeaf(root);
        FillQueue(root, root);
        var ov = PostPending(root, out var ev);
        // The application drops the slow leaf: its connection keeps the stream's chunks to write its share, then LEAVE.
        Ok(closesocket(leaf.Handle));
        WriterCaughtUp();
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, [ev], false, 0, false)); // still held back by the draining leaf
        leaf.Reset();
        // Nothing holds the stream back any more: the pending send leaves (to no leaf) instead of waiting for ever.
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 10_000, false));
        Assert.True(WSAGetOverlappedResult(root, ov, out uint sent, false, out _), $"failed with {WSAGetLastError()}");
        Assert.Equal((uint)Size, sent);
    }

    [Fact]
    public void send_RootBlockedBehindDrainingLeaf_ReturnsWhenThatLeafResets()
    {
        var (root, _) = ListeningRoot();
        using var leaf = JoinRawLeaf(root);
        FillQueue(root, root);
        Ok(setsockopt(root, SOL_SOCKET, SO_SNDTIMEO, 30_000)); // a lost wake-up fails the test instead of hanging it
        int rc = 0, error = 0;
        var sender = Run(() =>
        {
            rc = send(root, new byte[Size], Size, 0);
            if (rc == SOCKET_ERROR) error = WSAGetLastError();
        });
        Eventually(() => ContextOf<Providers.Rooted.RootedSocket>(root).QueuedSends == 1 && sender.Sleeping, "the root's blocking send to wait for room", 10_000);
        Ok(closesocket(leaf.Handle));
        WriterCaughtUp();
        leaf.Reset();
        Assert.True(sender.Join(20_000), "the root's blocking send still waits after its only leaf is gone");
        Assert.True(rc == Size, $"send returned {rc} with {error}");
    }

    [Fact]
    public void WSASend_RootPendingBehindDrainingLeafThatNeverReads_CompletesAtLingerBound()
    {
        var (root, _) = ListeningRoot();
        using var leaf = JoinRawLeaf(root);
        FillQueue(root, root);
        var ov = PostPending(root, out var ev);
        Ok(closesocket(leaf.Handle));
        // The leaf lives on and never reads: its draining connection is dropped at the linger bound (5 s), and the
        // root's pending send must learn of it then.
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 20_000, false));
        Assert.True(WSAGetOverlappedResult(root, ov, out uint sent, false, out _), $"failed with {WSAGetLastError()}");
        Assert.Equal((uint)Size, sent);
    }

    [Fact]
    public void send_PerLeafSocketBlockedWhenLeafResets_WSAECONNRESET()
    {
        var (root, _) = ListeningRoot();
        using var leaf = JoinRawLeaf(root);
        FillQueue(root, leaf.Handle);
        Ok(setsockopt(leaf.Handle, SOL_SOCKET, SO_SNDTIMEO, 30_000));
        int rc = 0, error = 0;
        var sender = Run(() =>
        {
            rc = send(leaf.Handle, new byte[Size], Size, 0);
            if (rc == SOCKET_ERROR) error = WSAGetLastError();
        });
        Eventually(() => ContextOf<Providers.Rooted.RootedSocket>(leaf.Handle).QueuedSends == 1 && sender.Sleeping, "the per-leaf socket's blocking send to wait for room", 10_000);
        leaf.Reset();
        // A dead leaf ends the wait with how its connection ended (docs/protocol.md: a TCP reset is WSAECONNRESET).
        Assert.True(sender.Join(20_000), "the blocking send on the dead leaf's socket still waits");
        Assert.Equal(SOCKET_ERROR, rc);
        Assert.Equal(WSAECONNRESET, error);
    }
}
