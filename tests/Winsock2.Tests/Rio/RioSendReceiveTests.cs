using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>RIOSend and RIOReceive on TCP: data moves through registered slices, results carry the contexts, limits hold.</summary>
public class RioSendReceiveTests : RioTest
{
    [Theory]
    [InlineData(AF_INET)]
    [InlineData(AF_INET6)]
    public void RIOReceive_Tcp_FillsSliceFromPeer(int af)
    {
        var (c, s) = RioTcpPair(af);
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
        Assert.All(buffer[..8], b => Assert.Equal(0, b)); // nothing outside the slice
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
        Assert.Equal(5ul, r.SocketContext);
        Assert.Equal(9ul, r.RequestContext);
        Assert.Equal("hello world", Text(RecvAll(s, 11), 11));
        closesocket(c);
        closesocket(s);
    }

    [Fact]
    public void RIOReceive_ManyPosted_FilledInOrderWithTheirContexts()
    {
        var (c, s) = RioTcpPair();
        var t = Table(s);
        var cq = Cq(t, 64);
        var rq = Rq(t, s, cq, 32, 1, context: 3);
        var buffer = new byte[32 * 4];
        var id = Register(t, buffer);
        for (int i = 0; i < 32; i++)
            Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, (uint)i * 4, 4), 1, RIO_MSG_WAITALL, 100 + i));
        var data = Enumerable.Range(0, 128).Select(i => (byte)i).ToArray();
        Assert.Equal(128, send(c, data, 128, 0));
        var all = Dequeue(t, cq, 32);
        for (int i = 0; i < 32; i++)
        {
            Assert.Equal(0, all[i].Status);
            Assert.Equal(4u, all[i].BytesTransferred);
            Assert.Equal(3ul, all[i].SocketContext);
            Assert.Equal((ulong)(100 + i), all[i].RequestContext);
        }
        Assert.Equal(data, buffer);
        closesocket(c);
        closesocket(s);
    }

    [Fact]
    public void RIOReceive_WaitAll_CompletesOnlyWithTheFullSlice()
    {
        var (c, s) = RioTcpPair();
        var (t, cq, rq, buffer, id) = Rig(s, 8);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 8), 1, RIO_MSG_WAITALL, 1));
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        Assert.Equal(0u, t.RIODequeueCompletion!(cq, new RIORESULT[1], 1)); // 3 bytes are in: not complete
        Assert.Equal(5, send(c, Bytes("defgh"), 5, 0));
        var r = Dequeue(t, cq, 1)[0];
        Assert.Equal(8u, r.BytesTransferred);
        Assert.Equal("abcdefgh", Text(buffer, 8));
        closesocket(c);
        closesocket(s);
    }

    [Fact]
    public void RIOReceive_WaitAllConnectionEnds_CompletesWithWhatCame()
    {
        var (c, s) = RioTcpPair();
        var (t, cq, rq, buffer, id) = Rig(s, 8);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 8), 1, RIO_MSG_WAITALL, 1));
        Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
        Ok(shutdown(c, SD_SEND));
        var r = Dequeue(t, cq, 1)[0];
        Assert.Equal(0, r.Status);
        Assert.Equal(3u, r.BytesTransferred);
        closesocket(c);
        closesocket(s);
    }

    [Fact]
    public void RIOReceive_PeerClosed_CompletesWithZeroBytes()
    {
        var (c, s) = RioTcpPair();
        var t = Table(s);
        var cq = Cq(t);
        var rq = Rq(t, s, cq);
        var id = Register(t, new byte[16]);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 8), 1, 0, 1));
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 8, 8), 1, 0, 2));
        closesocket(c);
        var all = Dequeue(t, cq, 2);
        Assert.All(all, r => Assert.Equal((0, 0u), (r.Status, r.BytesTransferred)));
        closesocket(s);
    }

    [Theory]
    [InlineData(SOCK_STREAM)]
    [InlineData(SOCK_DGRAM)]
    public void RIOReceive_BeyondMaxOutstanding_WSAENOBUFS(int type)
    {
        var s = type == SOCK_STREAM ? RioTcpPair().Server : RioUdp(out _);
        var t = Table(s);
        var rq = Rq(t, s, Cq(t), 2, 1);
        var id = Register(t, new byte[64]);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 8), 1, 0, 1));
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 8, 8), 1, RIO_MSG_DEFER, 2)); // deferred requests count too
        FailsWith(WSAENOBUFS, t.RIOReceive!(rq, new RIO_BUF(id, 16, 8), 1, 0, 3));
        closesocket(s);
    }

    [Fact]
    public void RIOSend_CompletionQueueFull_WSAENOBUFS()
    {
        var a = RioUdp(out _);
        var (c, b) = RioTcpPair();
        var t = Table(a);
        var cq = Cq(t, 2);
        var id = Register(t, Bytes("abcdefgh"));
        var rqa = Rq(t, a, cq, 1, 1);
        Assert.True(t.RIOReceive!(rqa, new RIO_BUF(id, 0, 4), 1, 0, 1));
        closesocket(a); // its receive completes (aborted) into the queue, which the application does not read
        var rqb = Rq(t, b, cq, 1, 1);
        Assert.True(t.RIOReceive!(rqb, new RIO_BUF(id, 0, 4), 1, 0, 2)); // the queue's second entry
        FailsWith(WSAENOBUFS, t.RIOSend!(rqb, new RIO_BUF(id, 4, 4), 1, 0, 3)); // no entry left for its result
        Assert.Equal(1ul, Dequeue(t, cq, 1)[0].RequestContext);
        Assert.True(t.RIOSend!(rqb, new RIO_BUF(id, 4, 4), 1, 0, 3));
        Assert.Equal("efgh", Text(RecvAll(c, 4), 4));
        Assert.Equal(3ul, Dequeue(t, cq, 1)[0].RequestContext);
        closesocket(b);
        closesocket(c);
    }

    [Theory]
    [InlineData(RIO_MSG_COMMIT_ONLY | RIO_MSG_DEFER)]
    [InlineData(RIO_MSG_COMMIT_ONLY | RIO_MSG_DONT_NOTIFY)]
    [InlineData(0x10u)]
    [InlineData(0x80000000u)]
    public void RIOReceive_InvalidFlags_WSAEINVAL(uint flags)
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var rq = Rq(t, s, Cq(t));
        var id = Register(t, new byte[16]);
        FailsWith(WSAEINVAL, t.RIOReceive!(rq, new RIO_BUF(id, 0, 16), 1, flags, 0));
        FailsWith(WSAEINVAL, t.RIOSend!(rq, new RIO_BUF(id, 0, 16), 1, flags, 0));
        closesocket(s);
    }

    [Fact]
    public void RIOSend_WaitAll_WSAEINVAL()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var rq = Rq(t, s, Cq(t));
        var id = Register(t, new byte[16]);
        FailsWith(WSAEINVAL, t.RIOSend!(rq, new RIO_BUF(id, 0, 16), 1, RIO_MSG_WAITALL, 0));
        closesocket(s);
    }

    [Fact]
    public void RIOReceive_CommitOnlyWithDataOrContext_WSAEINVAL()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var rq = Rq(t, s, Cq(t));
        var id = Register(t, new byte[16]);
        FailsWith(WSAEINVAL, t.RIOReceive!(rq, new RIO_BUF(id, 0, 16), 1, RIO_MSG_COMMIT_ONLY, 0));
        FailsWith(WSAEINVAL, t.RIOReceive!(rq, default, 0, RIO_MSG_COMMIT_ONLY, 7));
        FailsWith(WSAEINVAL, t.RIOSend!(rq, default, 1, RIO_MSG_COMMIT_ONLY, 0));
        Assert.True(t.RIOReceive!(rq, default, 0, RIO_MSG_COMMIT_ONLY, 0));
        Assert.True(t.RIOSend!(rq, default, 0, RIO_MSG_COMMIT_ONLY, 0));
        closesocket(s);
    }

    [Fact]
    public void RIOReceive_DataBufferCountNotMatchingData_WSAEINVAL()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var rq = Rq(t, s, Cq(t));
        var id = Register(t, new byte[16]);
        FailsWith(WSAEINVAL, t.RIOReceive!(rq, new RIO_BUF(id, 0, 16), 0, 0, 0));
        FailsWith(WSAEINVAL, t.RIOReceive!(rq, new RIO_BUF(id, 0, 16), 2, 0, 0));
        FailsWith(WSAEINVAL, t.RIOReceive!(rq, default, 1, 0, 0));
        closesocket(s);
    }

    [Fact]
    public void RIOReceive_InvalidQueue_WSAEINVAL()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var id = Register(t, new byte[16]);
        FailsWith(WSAEINVAL, t.RIOReceive!(null!, new RIO_BUF(id, 0, 16), 1, 0, 0));
        FailsWith(WSAEINVAL, t.RIOSend!(null!, new RIO_BUF(id, 0, 16), 1, 0, 0));
        closesocket(s);
    }

    [Fact]
    public void RIOReceive_PeerResets_WSAECONNRESET_ForEveryLaterReceive()
    {
        var (c, s) = RioTcpPair();
        var t = Table(s);
        var cq = Cq(t);
        var rq = Rq(t, s, cq);
        var id = Register(t, new byte[16]);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 8), 1, 0, 1));
        Ok(setsockopt(c, SOL_SOCKET, SO_LINGER, new linger { l_onoff = 1, l_linger = 0 })); // closing resets the connection
        closesocket(c);
        Assert.Equal(WSAECONNRESET, Dequeue(t, cq, 1)[0].Status);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 8, 8), 1, 0, 2));
        Assert.Equal(WSAECONNRESET, Dequeue(t, cq, 1)[0].Status);
        closesocket(s);
    }

    [Fact]
    public void RIOReceive_TcpNotConnected_WSAENOTCONN()
    {
        var s = RioSocket(SOCK_STREAM);
        var t = Table(s);
        var cq = Cq(t);
        var rq = Rq(t, s, cq);
        var id = Register(t, new byte[16]);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 8), 1, 0, 1));
        Assert.Equal(WSAENOTCONN, Dequeue(t, cq, 1)[0].Status);
        closesocket(s);
    }

    [Fact]
    public void RIOReceive_ManyPostedAcrossTwoBuffers_EveryByteOnceInOrder()
    {
        var (c, s) = RioTcpPair();
        var t = Table(s);
        var cq = Cq(t, 64);
        var rq = Rq(t, s, cq, 32, 1);
        var first = new byte[16 * 8];
        var second = new byte[16 * 8];
        RIO_BUFFERID a = Register(t, first), b = Register(t, second);
        for (int i = 0; i < 32; i++) // slices 0-7 and 16-23 in the first array, the others in the second
            Assert.True(t.RIOReceive!(rq, new RIO_BUF((i / 8) % 2 == 0 ? a : b, (uint)Slot(i) * 8, 8), 1, 0, i));
        var data = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        Assert.Equal(256, send(c, data, 256, 0));
        var got = new List<byte>();
        int next = 0;
        while (got.Count < 256)
        {
            var r = Dequeue(t, cq, 1)[0];
            Assert.Equal(0, r.Status);
            Assert.Equal((ulong)next++, r.RequestContext); // in posting order
            var array = (r.RequestContext / 8) % 2 == 0 ? first : second;
            got.AddRange(array.Skip(Slot((int)r.RequestContext) * 8).Take((int)r.BytesTransferred));
        }
        Assert.Equal(data, got);
        closesocket(c);
        closesocket(s);
        static int Slot(int i) => i % 8 + 8 * (i / 16);
    }
}
