using System.Diagnostics;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>The hostile cases: a peer that floods a socket with no receives posted, two threads on one completion queue.</summary>
public class RioHostileTests : RioTest
{
    [Fact]
    public void RIOReceive_PeerFloodsWithoutPostedReceives_KernelHoldsTheData_NothingLost()
    {
        var (c, s) = RioTcpPair();
        var t = Table(s);
        var cq = Cq(t, 64);
        var rq = Rq(t, s, cq, 16, 1);
        // The peer sends a counting pattern until its side would block: nobody reads ahead of the application's
        // receives, so the kernel's buffers fill (bounded at 256 MiB in case something did read ahead).
        uint on = 1;
        Ok(ioctlsocket(c, FIONBIO, ref on));
        var chunk = new byte[64 * 1024];
        long sent = 0;
        const long bound = 256L << 20;
        while (sent < bound)
        {
            for (int i = 0; i < chunk.Length; i++) chunk[i] = (byte)((sent + i) % 251);
            int n = send(c, chunk, chunk.Length, 0);
            if (n == SOCKET_ERROR)
            {
                Assert.Equal(WSAEWOULDBLOCK, WSAGetLastError());
                break;
            }
            sent += n;
        }
        Assert.True(sent < bound, "the sender never blocked: something read the flood ahead of the application");
        Assert.True(sent > 0);

        // Now the application reads it all through 16 posted receives of 16 KiB, reposting each as it completes.
        var buffer = new byte[16 * 16384];
        var id = Register(t, buffer);
        for (int i = 0; i < 16; i++) Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, (uint)i * 16384, 16384), 1, 0, i));
        long got = 0;
        var results = new RIORESULT[16];
        var clock = Stopwatch.StartNew();
        while (got < sent)
        {
            uint n = t.RIODequeueCompletion!(cq, results, 16);
            Assert.NotEqual(RIO_CORRUPT_CQ, n);
            if (n == 0)
            {
                Assert.True(clock.ElapsedMilliseconds < 60_000, $"{got} of {sent} bytes arrived");
                Thread.Sleep(1);
                continue;
            }
            for (int k = 0; k < n; k++)
            {
                var r = results[k];
                Assert.Equal(0, r.Status);
                int slot = (int)r.RequestContext;
                for (int i = 0; i < r.BytesTransferred; i++)
                    Assert.True(buffer[slot * 16384 + i] == (byte)((got + i) % 251), $"byte {got + i} is wrong");
                got += r.BytesTransferred;
                Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, (uint)slot * 16384, 16384), 1, 0, slot));
            }
        }
        Assert.Equal(sent, got);
        closesocket(c);
        closesocket(s);
    }

    [SkippableFact]
    public void RIODequeueCompletion_TwoThreadsAtOnce_RIO_CORRUPT_CQ_NothingLostOrTwice()
    {
        const int count = 4096;
        var s = RioUdp(out _);
        var t = Table(s);
        var cq = Cq(t, count + 1);
        var rq = Rq(t, s, cq, count, 1);
        var id = Register(t, new byte[16]);
        for (int i = 0; i < count; i++) Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 16), 1, RIO_MSG_DEFER, i));
        closesocket(s); // every receive completes (aborted) into the queue
        int corrupt = 0;
        var seen = new int[count];
        using var start = new Barrier(2);
        void Hammer()
        {
            var results = new RIORESULT[1];
            start.SignalAndWait(20_000);
            var clock = Stopwatch.StartNew();
            // Until the queue is empty and the threads were seen to collide (bounded: 5 s, 4 million calls each).
            for (int i = 0; i < 4_000_000 && clock.ElapsedMilliseconds < 5_000; i++)
            {
                uint n = t.RIODequeueCompletion!(cq, results, 1);
                if (n == RIO_CORRUPT_CQ) Interlocked.Increment(ref corrupt);
                else if (n == 1) Interlocked.Increment(ref seen[(int)results[0].RequestContext]);
                else if (Volatile.Read(ref corrupt) > 0) return;
            }
        }
        var a = Run(Hammer);
        var b = Run(Hammer);
        a.Join();
        b.Join();
        Assert.All(seen, x => Assert.Equal(1, x)); // each result exactly once, whatever the other thread did
        Skip.If(corrupt == 0, "the two threads never overlapped inside RIODequeueCompletion");
    }
}
