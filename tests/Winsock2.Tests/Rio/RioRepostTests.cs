using System.Diagnostics;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>
/// A request queue of exactly the posted count: a request whose completion was dequeued has given its place back, so
/// the application may repost it at once — the provider frees a batch's places before its results become visible.
/// </summary>
public class RioRepostTests : RioTest
{
    private const int Posted = 1024; // a long batch: the application dequeues while the provider still publishes it
    private const int Rounds = 300;

    [Fact]
    public void RIOReceive_RepostRightAfterDequeue_NeverWSAENOBUFS()
    {
        var (c, s) = RioTcpPair();
        var t = Table(s);
        var cq = Cq(t, Posted + 1); // the two directions' limits
        var rq = Rq(t, s, cq, Posted, 1);
        var buffer = new byte[Posted];
        var id = Register(t, buffer);
        for (int i = 0; i < Posted; i++) Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, (uint)i, 1), 1, 0, i), $"RIOReceive failed with {WSAGetLastError()}");
        long total = (long)Posted * Rounds;
        var writer = new Thread(() =>
        {
            var chunk = new byte[4096];
            for (long sent = 0; sent < total;)
            {
                int n = send(c, chunk, (int)Math.Min(chunk.Length, total - sent), 0);
                if (n <= 0) return;
                sent += n;
            }
        });
        writer.Start(); // the provider fills receives on its own thread while the application dequeues and reposts
        var results = new RIORESULT[Posted];
        var clock = Stopwatch.StartNew();
        for (long got = 0; got < total;)
        {
            uint n = t.RIODequeueCompletion!(cq, results, Posted);
            Assert.NotEqual(RIO_CORRUPT_CQ, n);
            for (int k = 0; k < (int)n; k++)
            {
                Assert.Equal(0, results[k].Status);
                Assert.Equal(1u, results[k].BytesTransferred);
                // the place of a dequeued receive is free: its repost succeeds at once
                Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, (uint)results[k].RequestContext, 1), 1, 0, (nint)results[k].RequestContext),
                    $"after {got + k} receives: repost failed with {WSAGetLastError()}");
            }
            got += n;
            if (n == 0) Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"only {got} of {total} receives completed");
        }
        Assert.True(writer.Join(TimeSpan.FromMinutes(1)), "the peer did not send everything");
        closesocket(c);
        closesocket(s);
    }

    [Fact]
    public void RIOSend_RepostRightAfterDequeue_NeverWSAENOBUFS()
    {
        var (c, s) = RioTcpPair();
        var t = Table(c);
        var cq = Cq(t, Posted + 1); // the two directions' limits
        var rq = Rq(t, c, cq, 1, Posted);
        var buffer = new byte[Posted];
        var id = Register(t, buffer);
        long total = (long)Posted * (Rounds + 1);
        var reader = new Thread(() =>
        {
            var sink = new byte[4096];
            long read = 0;
            while (read < total)
            {
                int n = recv(s, sink, sink.Length, 0);
                if (n <= 0) return;
                read += n;
            }
        });
        reader.Start();
        for (int i = 0; i < Posted; i++) Assert.True(t.RIOSend!(rq, new RIO_BUF(id, (uint)i, 1), 1, 0, i), $"RIOSend failed with {WSAGetLastError()}");
        var results = new RIORESULT[Posted];
        var clock = Stopwatch.StartNew();
        long completed = 0, reposted = Posted;
        while (completed < total)
        {
            uint n = t.RIODequeueCompletion!(cq, results, Posted);
            Assert.NotEqual(RIO_CORRUPT_CQ, n);
            for (int k = 0; k < (int)n; k++)
            {
                Assert.Equal(0, results[k].Status);
                Assert.Equal(1u, results[k].BytesTransferred);
                if (reposted < total)
                {
                    Assert.True(t.RIOSend!(rq, new RIO_BUF(id, (uint)results[k].RequestContext, 1), 1, 0, (nint)results[k].RequestContext),
                        $"after {completed} sends: repost failed with {WSAGetLastError()}");
                    reposted++;
                }
            }
            completed += n;
            if (n == 0) Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"only {completed} of {total} sends completed");
        }
        Assert.True(reader.Join(TimeSpan.FromMinutes(1)), "the peer did not read everything");
        closesocket(c);
        closesocket(s);
    }
}
