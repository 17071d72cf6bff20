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
    public void RIODequeueCompletion_TwoThreadsAtOnce_RIO_CORRUPT_CQ()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var cq = Cq(t);
        Rq(t, s, cq);
        int corrupt = 0, other = 0;
        void Hammer()
        {
            var results = new RIORESULT[4];
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 200_000 && clock.ElapsedMilliseconds < 5_000 && Volatile.Read(ref corrupt) == 0; i++)
            {
                uint n = t.RIODequeueCompletion!(cq, results, 4);
                if (n == RIO_CORRUPT_CQ) Interlocked.Increment(ref corrupt);
                else if (n != 0) Interlocked.Increment(ref other);
            }
        }
        var a = Run(Hammer);
        var b = Run(Hammer);
        a.Join();
        b.Join();
        Assert.Equal(0, other); // an empty queue gives nothing else
        Skip.If(corrupt == 0, "the two threads never overlapped inside RIODequeueCompletion");
        Assert.Equal(0u, t.RIODequeueCompletion!(cq, new RIORESULT[4], 4)); // one thread at a time is fine again
        closesocket(s);
    }
}
