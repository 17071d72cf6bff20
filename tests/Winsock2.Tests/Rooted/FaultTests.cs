using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>Hostile peers, dead peers and slow leaves: each meets its rule, and the rest of the session carries on.</summary>
public class FaultTests : RootedTest
{
    [Fact]
    public void MalformedPeer_GarbageBeforeJoin_DroppedRootUnaffected()
    {
        var (root, addr) = ListeningRoot();
        var (good, _) = JoinAccepted(root, addr);
        var raw = Track(socket(AF_INET, SOCK_STREAM, 0));
        Ok(connect(raw, addr, addr.Length));
        var garbage = Bytes("GET / HTTP/1.1\r\n\r\n");
        Assert.Equal(garbage.Length, send(raw, garbage, garbage.Length, 0));
        var buf = new byte[16];
        int n = recv(raw, buf, buf.Length, 0); // the root hangs up on it
        Assert.True(n == 0 || WSAGetLastError() == WSAECONNRESET);
        SendText(root, "still here");
        Assert.Equal("still here", RecvText(good));
    }

    [Fact]
    public void MalformedPeer_BadFrameFromJoinedLeaf_WSAECONNABORTED_OthersCarryOn()
    {
        var (root, addr) = ListeningRoot();
        var (bad, badHandle) = JoinAccepted(root, addr);
        var (good, _) = JoinAccepted(root, addr);
        var ev = NewEvent();
        Ok(WSAEventSelect(badHandle, ev, FD_CLOSE));
        // A frame with the right magic and version but a length far over the bound.
        byte[] hostile = [0x57, 0x4D, 1, 0x10, 0x7F, 0xFF, 0xFF, 0xFF];
        ContextOf<Providers.Rooted.LeafSocket>(bad).Conn!.OsSocket.Send(hostile);
        Assert.Equal(WSAECONNABORTED, WaitEvents(badHandle, ev, FD_CLOSE).iErrorCode[FD_CLOSE_BIT]);
        SendText(root, "others fine");
        Assert.Equal("others fine", RecvText(good));
        SendText(good, "up");
        Assert.Equal("up", RecvText(root));
    }

    [Fact]
    public void MalformedPeer_BadVersion_WSAECONNABORTED()
    {
        var (root, addr) = ListeningRoot();
        var (bad, badHandle) = JoinAccepted(root, addr);
        var ev = NewEvent();
        Ok(WSAEventSelect(badHandle, ev, FD_CLOSE));
        ContextOf<Providers.Rooted.LeafSocket>(bad).Conn!.OsSocket.Send(new byte[] { 0x57, 0x4D, 9, 0x10, 0, 0, 0, 0 });
        Assert.Equal(WSAECONNABORTED, WaitEvents(badHandle, ev, FD_CLOSE).iErrorCode[FD_CLOSE_BIT]);
    }

    [Fact]
    public void DeadPeer_SilentLeaf_FdCloseWSAENETRESET()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_HEARTBEAT_INTERVAL, 100));
        var leaf = NewLeaf();
        Ok(setsockopt(leaf, SOL_MULTIPOINT, MP_HEARTBEAT_INTERVAL, 0)); // this leaf never says anything
        SOCKET handle = SOCKET.Invalid;
        var acceptor = Run(() => handle = accept(root));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000));
        Track(handle);
        var ev = NewEvent();
        Ok(WSAEventSelect(handle, ev, FD_CLOSE));
        Assert.Equal(WSAENETRESET, WaitEvents(handle, ev, FD_CLOSE).iErrorCode[FD_CLOSE_BIT]);
    }

    [Fact]
    public void Heartbeat_KeepsIdleLeafAlive()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_HEARTBEAT_INTERVAL, 250));
        var leaf = NewLeaf();
        Ok(setsockopt(leaf, SOL_MULTIPOINT, MP_HEARTBEAT_INTERVAL, 250));
        SOCKET handle = SOCKET.Invalid;
        var acceptor = Run(() => handle = accept(root));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000));
        Track(handle);
        var ev = NewEvent();
        Ok(WSAEventSelect(handle, ev, FD_CLOSE));
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, [ev], false, 1500, false)); // idle for 6 intervals, but alive
        SendText(root, "ping");
        var lev = NewEvent();
        Ok(WSAEventSelect(leaf, lev, FD_READ));
        WaitEvents(leaf, lev, FD_READ);
        Assert.Equal("ping", RecvText(leaf));
    }

    [Fact]
    public void SlowLeaf_EvictionPolicy_FdCloseWSAECONNABORTED_OthersGetEverything()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_SLOW_LEAF_POLICY, MP_POLICY_EVICT));
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 256 * 1024));
        // The slow leaf's application never reads: its receive buffer fills, TCP's window closes, its queue at the root grows.
        var (_, slowHandle) = JoinAccepted(root, addr);
        var (fast, _) = JoinAccepted(root, addr);
        var ev = NewEvent();
        Ok(WSAEventSelect(slowHandle, ev, FD_CLOSE));
        const int count = 2000;
        int received = 0;
        var reader = Run(() =>
        {
            var buf = new byte[20_000];
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(16_384, recv(fast, buf, buf.Length, 0));
                Assert.Equal(i, BitConverter.ToInt32(buf, 0));
                Volatile.Write(ref received, i + 1);
            }
        });
        var msg = new byte[16_384];
        for (int i = 0; i < count; i++)
        {
            BitConverter.GetBytes(i).CopyTo(msg, 0);
            Assert.Equal(msg.Length, send(root, msg, msg.Length, 0)); // never blocks: the slow leaf is dropped instead
            // The sender keeps pace with the fast leaf (bursts of 8 stay far below its queue limit), so only the
            // leaf that reads nothing can fall behind.
            if (i % 8 == 7) Eventually(() => Volatile.Read(ref received) == i + 1, "the fast leaf to take the burst", 60_000);
        }
        Assert.True(reader.Join(60_000), "the fast leaf did not get every message");
        Assert.Equal(WSAECONNABORTED, WaitEvents(slowHandle, ev, FD_CLOSE).iErrorCode[FD_CLOSE_BIT]);
    }

    /// <summary>
    /// The writer has handed a burst to sendmsg and not yet recorded the result; meanwhile the leaf reads all of it
    /// and the root sends the next burst. The bytes in flight are the leaf's, not its queue: the eviction policy
    /// judges a leaf only on the bytes no write has taken, so a leaf that keeps up is never evicted.
    /// </summary>
    [Fact]
    public void HasRoom_EvictionPolicy_WriteInFlightIsNotBacklog()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_SLOW_LEAF_POLICY, MP_POLICY_EVICT));
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 256 * 1024));
        var (leaf, handle) = JoinAccepted(root, addr);
        var conn = ((Providers.Rooted.LeafHandle)ContextOf<Providers.Rooted.RootedSocket>(handle)).Conn!;
        conn.OsSocket.SendBufferSize = 1 << 20; // a burst leaves in one write
        const int burst = 8, size = 16_384;
        var msg = new byte[size];
        var buf = new byte[20_000];
        using var inFlight = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int armed = 0;
        conn.WriteReturned = n =>
        {
            if (n < burst * size || Interlocked.Exchange(ref armed, 0) == 0) return;
            inFlight.Set();
            release.Wait(10_000); // hold the writer between sendmsg and recording what it wrote
        };
        try
        {
            // The burst is appended under the session lock, so the writer collects all of it for one write.
            lock (ContextOf<Providers.Rooted.RootedSocket>(root).Gate)
            {
                for (int i = 0; i < burst; i++)
                {
                    BitConverter.GetBytes(i).CopyTo(msg, 0);
                    Assert.Equal(size, send(root, msg, size, 0));
                }
                Volatile.Write(ref armed, 1);
            }
            Assert.True(inFlight.Wait(10_000), "the burst was not written in one write");
            for (int i = 0; i < burst; i++)
            {
                Assert.Equal(size, recv(leaf, buf, buf.Length, 0)); // the leaf has every byte of the write in flight
                Assert.Equal(i, BitConverter.ToInt32(buf, 0));
            }
            for (int i = burst; i < 2 * burst; i++)
            {
                BitConverter.GetBytes(i).CopyTo(msg, 0);
                Assert.Equal(size, send(root, msg, size, 0));
            }
            Assert.False(conn.IsTerminated, "a leaf that read everything was evicted for the bytes in flight");
        }
        finally
        {
            conn.WriteReturned = null;
            release.Set();
        }
        for (int i = burst; i < 2 * burst; i++)
        {
            Assert.Equal(size, recv(leaf, buf, buf.Length, 0));
            Assert.Equal(i, BitConverter.ToInt32(buf, 0));
        }
    }

    [Fact]
    public void SlowLeaf_BackpressurePolicy_NonblockingRootWouldBlockThenFdWrite()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 256 * 1024));
        // The slow leaf reads nothing until the root is told to wait: its kernel buffers fill, TCP pushes back, the root's
        // per-leaf queue fills. (Shrinking the leaf's receive buffer after the handshake made the kernel drop segments it
        // had already allowed, and the root's retransmission backoff, not the provider, decided how long the test took.)
        var (slow, _) = JoinAccepted(root, addr);
        var ev = NewEvent();
        Ok(WSAEventSelect(root, ev, FD_WRITE));
        WaitEvents(root, ev, FD_WRITE);
        var msg = new byte[16_384];
        int sent = 0;
        while (send(root, msg, msg.Length, 0) == msg.Length) Assert.True(++sent < 5_000, "backpressure never applied");
        Assert.Equal(WSAEWOULDBLOCK, WSAGetLastError()); // never silent loss: the sender is told
        var drain = Run(() =>
        {
            var buf = new byte[20_000];
            for (int i = 0; i < sent; i++) recv(slow, buf, buf.Length, 0);
        });
        WaitEvents(root, ev, FD_WRITE); // room again
        Assert.True(drain.Join(30_000), "the slow leaf did not receive what was queued for it");
    }
}
