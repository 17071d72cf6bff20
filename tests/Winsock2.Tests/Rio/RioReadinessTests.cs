using Winsock2.Providers.Inet;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>Registered I/O on TCP: a readiness edge that arrives while a read meets EAGAIN is never forgotten.</summary>
public class RioReadinessTests : RioTest
{
    [Fact]
    public void RIOReceive_DataArrivesWhileAReadMeetsEAGAIN_ALaterReceiveStillGetsTheRest()
    {
        var (c, s) = RioTcpPair();
        var (t, cq, rq, buffer, id) = Rig(s, 16, maxReceives: 4, maxSends: 0);
        var socket = ContextOf<InetSocket>(s);
        int calls = 0;
        socket.RioReadWouldBlock = () =>
        {
            // The first read found nothing. Before its EAGAIN is recorded, 16 bytes arrive and the reactor notes the
            // edge (its own drain finds this one busy and leaves the work to it).
            if (Interlocked.Increment(ref calls) != 1) return;
            int before = socket.RioReadableEdges;
            Assert.Equal(16, send(c, Bytes("abcdefghijklmnop"), 16, 0));
            Eventually(() => socket.RioReadableEdges != before, "the reactor's readable edge");
        };
        try
        {
            Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 8), 1, 0, 1)); // drains on this thread: EAGAIN, then the 8 bytes it takes
            var first = Dequeue(t, cq, 1)[0];
            Assert.Equal((0, 8u, 1ul), (first.Status, first.BytesTransferred, first.RequestContext));
        }
        finally { socket.RioReadWouldBlock = null; }
        // The other 8 bytes wait in the kernel and no new edge will come: the edge noted during the EAGAIN must still count.
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 8, 8), 1, 0, 2));
        var second = Dequeue(t, cq, 1)[0];
        Assert.Equal((0, 8u, 2ul), (second.Status, second.BytesTransferred, second.RequestContext));
        Assert.Equal("abcdefghijklmnop", Text(buffer, 16));
        closesocket(c);
        closesocket(s);
    }
}
