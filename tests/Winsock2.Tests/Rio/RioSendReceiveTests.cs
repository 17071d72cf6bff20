using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>RIOSend and RIOReceive on TCP and UDP: data moves through registered slices, results carry the contexts.</summary>
public class RioSendReceiveTests : RioTest
{
    [Fact]
    public void RIOReceive_Tcp_FillsSliceFromPeer()
    {
        var (c, s) = RioTcpPair();
        var t = Table(s);
        var cq = Cq(t);
        var rq = Rq(t, s, cq, context: 77);
        var buffer = new byte[64];
        var id = Register(t, buffer);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 8, 32), 1, 0, 1234));
        Assert.Equal(5, send(c, Bytes("hello"), 5, 0));
        var r = Dequeue(t, cq, 1)[0];
        Assert.Equal(0, r.Status);
        Assert.Equal(5u, r.BytesTransferred);
        Assert.Equal(77ul, r.SocketContext);
        Assert.Equal(1234ul, r.RequestContext);
        Assert.Equal("hello", Text(buffer[8..], 5));
        closesocket(c);
        closesocket(s);
    }

    [Fact]
    public void RIOSend_Tcp_PeerReceivesSlice()
    {
        var (c, s) = RioTcpPair();
        var t = Table(c);
        var cq = Cq(t);
        var rq = Rq(t, c, cq, context: 5);
        var buffer = Bytes("xxhello worldxx");
        var id = Register(t, buffer);
        Assert.True(t.RIOSend!(rq, new RIO_BUF(id, 2, 11), 1, 0, 9));
        var r = Dequeue(t, cq, 1)[0];
        Assert.Equal(0, r.Status);
        Assert.Equal(11u, r.BytesTransferred);
        Assert.Equal(9ul, r.RequestContext);
        Assert.Equal("hello world", Text(RecvAll(s, 11), 11));
        closesocket(c);
        closesocket(s);
    }
}
