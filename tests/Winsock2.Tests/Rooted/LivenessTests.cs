using Winsock2.Providers.Rooted;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// A connection is read without the session lock, so under a continuous stream the application's receives, the
/// writer (the leaf's heartbeats) and the timer all make progress: a reading leaf is never declared dead.
/// The 60 s run and the 16-leaf soak are the benchmark's rooted-soak suite.
/// </summary>
public class LivenessTests : RootedTest
{
    [Fact]
    public void Heartbeat_ReadingLeafUnderContinuousStream_NeverDeclaredDead()
    {
        var (root, addr) = ListeningRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_HEARTBEAT_INTERVAL, 100));
        var leaf = NewLeaf();
        Ok(setsockopt(leaf, SOL_MULTIPOINT, MP_HEARTBEAT_INTERVAL, 100));
        SOCKET handle = SOCKET.Invalid;
        var acceptor = Run(() => handle = accept(root));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000));
        Track(handle);
        var ev = NewEvent();
        Ok(WSAEventSelect(handle, ev, FD_CLOSE));
        Ok(setsockopt(root, SOL_SOCKET, SO_SNDTIMEO, 30_000));
        const int count = 60_000;
        var reader = Run(() =>
        {
            var buf = new byte[2048];
            for (int i = 0; i < count; i++)
            {
                int n = recv(leaf, buf, buf.Length, 0);
                Assert.True(n == 1024, $"message {i}: recv {n}, error {WSAGetLastError()}");
                Assert.Equal(i, BitConverter.ToInt32(buf, 0));
            }
        });
        var msg = new byte[1024];
        // As fast as the root can: the leaf always has bytes to read (30 heartbeat intervals and more of stream).
        for (int i = 0; i < count; i++)
        {
            BitConverter.GetBytes(i).CopyTo(msg, 0);
            Assert.True(send(root, msg, msg.Length, 0) == msg.Length, $"send {i} failed with {WSAGetLastError()}");
        }
        Assert.True(reader.Join(60_000), "the reading leaf did not get every message");
        Assert.Equal(WSA_WAIT_TIMEOUT, WSAWaitForMultipleEvents(1, [ev], false, 0, false)); // the root never judged it dead
    }

    /// <summary>
    /// The reader is held between a read and handing its frames over: the session lock is free, so the application
    /// takes an already queued message and the timer can judge the connection meanwhile.
    /// </summary>
    [Fact]
    public void Reader_MidRead_HoldsNoLock_ApplicationReceivesMeanwhile()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        var socket = ContextOf<LeafSocket>(leaf);
        var conn = socket.Conn!;
        SendText(root, "queued");
        Eventually(() => { uint n = 0; ioctlsocket(leaf, FIONREAD, ref n); return n > 0; }, "the first message to be queued", 10_000);
        using var reading = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int armed = 1;
        conn.ReadReturned = _ =>
        {
            if (Interlocked.Exchange(ref armed, 0) == 0) return;
            reading.Set();
            release.Wait(30_000); // hold the reader mid-read
        };
        try
        {
            SendText(root, "second");
            Assert.True(reading.Wait(10_000), "the reader did not read the second message");
            Assert.True(socket.Gate.TryEnter(0), "the reader holds the session lock across its read");
            socket.Gate.Exit();
            Assert.Equal("queued", RecvText(leaf)); // the application is not held up by the reader
        }
        finally
        {
            conn.ReadReturned = null;
            release.Set();
        }
        Assert.Equal("second", RecvText(leaf));
    }

    /// <summary>
    /// The timer forgives a silence only as long as the timer itself was held up. The time no timer ran at all (no
    /// connections in the process) is not such a stall: the first session after a long idle still finds its dead peers.
    /// </summary>
    [Fact]
    public void Heartbeat_FirstSessionAfterIdleProcess_SilentLeafStillDeclaredDead()
    {
        // Earlier sessions' connections end within their linger bound (5 s); then no timer runs.
        Eventually(() => Heartbeats.Idle, "the heartbeat timer to stop with the last connection", 20_000);
        Heartbeats.AgeClock(120_000); // as if the process had had no connection for two minutes
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
}
