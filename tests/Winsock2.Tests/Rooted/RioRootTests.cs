using Winsock2.Providers.Rooted;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>Registered I/O on a root and its per-leaf sockets: deferred sends as one batch, backpressure, receives from leaves.</summary>
public class RioRootTests : RioRootedTest
{
    [Fact]
    public void RIOSend_RootDeferred_LeafReceivesNothingUntilCommit()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVTIMEO, 10_000), "SO_RCVTIMEO");
        var t = RioTable(root);
        var cq = NewCq(t);
        var rq = NewRq(t, root, cq);
        var buf = Bytes("m1m2m3");
        var id = NewBuffer(t, buf);
        for (int i = 0; i < 3; i++) Assert.True(t.RIOSend!(rq, new RIO_BUF(id, (uint)(i * 2), 2), 1, RIO_MSG_DEFER, i));
        Assert.Empty(TakeNow(t, cq)); // deferred: not yet handed to the transport
        // A plain send after the deferred ones reaches the leaf first: the deferred messages are not in the stream.
        SendText(root, "marker");
        Assert.Equal("marker", RecvText(leaf));
        Assert.True(t.RIOSend!(rq, default, 0, RIO_MSG_COMMIT_ONLY, 0));
        Assert.Equal(["m1", "m2", "m3"], new[] { RecvText(leaf), RecvText(leaf), RecvText(leaf) });
        var results = Take(t, cq, 3);
        Assert.Equal([0ul, 1ul, 2ul], results.Select(r => r.RequestContext));
        Assert.All(results, r => Assert.Equal((0, 2u), (r.Status, r.BytesTransferred)));
    }

    [Fact]
    public void RIOSend_RootStreamFull_SendsStayOutstandingBeyondTheLimitWSAENOBUFS_ThenComplete()
    {
        var (root, addr) = RioRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 64 * 1024), "MP_LEAF_QUEUE_LIMIT");
        var (leaf, _) = RioJoin(root, addr);
        Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVBUF, 16 * 1024), "SO_RCVBUF");
        Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVTIMEO, 20_000), "SO_RCVTIMEO");
        const int max = 256, size = 64 * 1024; // 16 MiB: more than the buffers on the way hold for a leaf that stopped reading
        var t = RioTable(root);
        var cq = NewCq(t, 4 * max);
        var rq = NewRq(t, root, cq, receives: 1, sends: max);
        var payload = new byte[size];
        var id = NewBuffer(t, payload);
        for (int i = 0; i < max; i++)
        {
            BitConverter.TryWriteBytes(payload, i); // the slice is copied when the send is taken: only the first counts
            Assert.True(t.RIOSend!(rq, new RIO_BUF(id, 0, size), 1, RIO_MSG_DEFER, i));
        }
        Assert.True(t.RIOSend!(rq, default, 0, RIO_MSG_COMMIT_ONLY, 0));
        // The leaf reads nothing: what the commit took is bounded by the room, the rest stays outstanding.
        int done = TakeNow(t, cq).Length;
        Assert.True(done < max, $"{done} of {max} sends completed with the leaf not reading");
        int posted = 0;
        while (posted < max && t.RIOSend!(rq, new RIO_BUF(id, 0, size), 1, 0, max + posted)) posted++;
        Assert.Equal(WSAENOBUFS, WSAGetLastError()); // the queue's MaxOutstandingSend is reached
        // The leaf drains: every send completes, every message arrives whole.
        var buf = new byte[size + 1];
        for (int i = 0; i < max + posted; i++)
        {
            int n = recv(leaf, buf, buf.Length, 0);
            Assert.True(n == size, $"message {i}: recv returned {n} ({WSAGetLastError()})");
        }
        var rest = Take(t, cq, max + posted - done);
        Assert.All(rest, r => Assert.Equal((0, (uint)size), (r.Status, r.BytesTransferred)));
    }

    [Fact]
    public void closesocket_RioRootWithOutstandingSends_Aborted()
    {
        var (root, addr) = RioRoot();
        Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 64 * 1024), "MP_LEAF_QUEUE_LIMIT");
        RioJoin(root, addr); // its leaf reads nothing
        const int max = 256, size = 64 * 1024;
        var t = RioTable(root);
        var cq = NewCq(t, 2 * max);
        var rq = NewRq(t, root, cq, receives: 1, sends: max);
        var id = NewBuffer(t, new byte[size]);
        for (int i = 0; i < max; i++) Assert.True(t.RIOSend!(rq, new RIO_BUF(id, 0, size), 1, RIO_MSG_DEFER, i));
        Assert.True(t.RIOSend!(rq, default, 0, RIO_MSG_COMMIT_ONLY, 0));
        int done = TakeNow(t, cq).Length;
        Assert.True(done < max, $"{done} of {max} sends completed with the leaf not reading");
        Ok(closesocket(root), "closesocket");
        var rest = Take(t, cq, max - done);
        Assert.Contains(rest, r => r.Status == WSA_OPERATION_ABORTED);
        Assert.All(rest, r => Assert.True(r.Status is 0 or WSA_OPERATION_ABORTED, $"status {r.Status}"));
    }

    [Fact]
    public void RIOReceiveEx_Root_MessagesFromEveryLeafWithTheSendersAddress()
    {
        var (root, addr) = RioRoot();
        var (leaf1, _) = RioJoin(root, addr);
        var (leaf2, _) = RioJoin(root, addr);
        var t = RioTable(root);
        var cq = NewCq(t);
        var rq = NewRq(t, root, cq);
        var data = new byte[64];
        var from = new byte[2 * 32];
        var dataId = NewBuffer(t, data);
        var fromId = NewBuffer(t, from);
        for (int i = 0; i < 2; i++)
            Assert.NotEqual(0, t.RIOReceiveEx!(rq, new RIO_BUF(dataId, (uint)(i * 32), 32), 1, default, new RIO_BUF(fromId, (uint)(i * 32), 32),
                default, default, 0, i));
        SendText(leaf1, "one");
        var first = Take(t, cq, 1)[0];
        SendText(leaf2, "two");
        var second = Take(t, cq, 1)[0];
        Assert.Equal((0, 3u), (first.Status, first.BytesTransferred));
        Assert.Equal((0, 3u), (second.Status, second.BytesTransferred));
        Assert.Equal("one", Text(data, 3));
        Assert.Equal("two", Text(data[32..], 3));
        Assert.Equal(LocalName(leaf1), SockAddr.ToEndPoint(from[..16]));
        Assert.Equal(LocalName(leaf2), SockAddr.ToEndPoint(from[32..48]));
    }

    [Fact]
    public void RIOReceive_PerLeafSocket_TakesOnlyItsLeafsMessages()
    {
        var (root, addr) = RioRoot();
        var (leaf1, handle1) = RioJoin(root, addr);
        var (leaf2, _) = RioJoin(root, addr);
        var t = RioTable(handle1);
        var cq = NewCq(t);
        var rq = NewRq(t, handle1, cq);
        var data = new byte[32];
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(NewBuffer(t, data), 0, 32), 1, 0, 1));
        SendText(leaf2, "from 2");
        Assert.Equal("from 2", RecvText(root)); // leaf 2's message is not leaf 1's socket's
        SendText(leaf1, "from 1");
        var r = Take(t, cq, 1)[0];
        Assert.Equal((0, 6u), (r.Status, r.BytesTransferred));
        Assert.Equal("from 1", Text(data, 6));
    }

    [Fact]
    public void RIOSend_PerLeafSocket_ReachesOnlyThatLeaf()
    {
        var (root, addr) = RioRoot();
        var (leaf1, handle1) = RioJoin(root, addr);
        var (leaf2, _) = RioJoin(root, addr);
        var t = RioTable(handle1);
        var cq = NewCq(t);
        var rq = NewRq(t, handle1, cq);
        var buf = Bytes("side chat");
        Assert.True(t.RIOSend!(rq, new RIO_BUF(NewBuffer(t, buf), 0, (uint)buf.Length), 1, 0, 5));
        var r = Take(t, cq, 1)[0];
        Assert.Equal((0, 9u, 5ul), (r.Status, r.BytesTransferred, r.RequestContext));
        Assert.Equal("side chat", RecvText(leaf1));
        SendText(root, "to all");
        Assert.Equal("to all", RecvText(leaf2)); // leaf 2's first message is the root's, not the side chat
        Assert.Equal("to all", RecvText(leaf1));
    }

    [Fact]
    public void RIOCreateRequestQueue_RootedWithoutFlagOrSecondQueue_WSAEINVAL()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        var t = RioTable(leaf);
        var cq = NewCq(t);
        var plain = NewLeaf(); // made without WSA_FLAG_REGISTERED_IO
        Assert.Null(t.RIOCreateRequestQueue!(plain, 4, 1, 4, 1, cq, cq, 0));
        Assert.Equal(WSAEINVAL, WSAGetLastError());
        NewRq(t, leaf, cq, 4, 4);
        Assert.Null(t.RIOCreateRequestQueue!(leaf, 4, 1, 4, 1, cq, cq, 0));
        Assert.Equal(WSAEINVAL, WSAGetLastError());
    }

    [Fact]
    public void RIOSend_RootMessageOverOneMiB_CompletesWithWSAEMSGSIZE()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        var t = RioTable(root);
        var cq = NewCq(t);
        var rq = NewRq(t, root, cq);
        var id = NewBuffer(t, new byte[RootedLimits.MaxMessage + 1]);
        Assert.True(t.RIOSend!(rq, new RIO_BUF(id, 0, (uint)RootedLimits.MaxMessage + 1), 1, 0, 1));
        Assert.True(t.RIOSend!(rq, new RIO_BUF(id, 0, 2), 1, 0, 2));
        var results = Take(t, cq, 2);
        Assert.Equal((WSAEMSGSIZE, 0u), (results[0].Status, results[0].BytesTransferred));
        Assert.Equal((0, 2u), (results[1].Status, results[1].BytesTransferred));
        Assert.Equal(2, recv(leaf, new byte[8], 8, 0)); // only the second message was sent
    }

    [Fact]
    public void RIOReceiveEx_LeafPieceSentWithMsgPartial_FlagsMsgPartial()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        var t = RioTable(leaf);
        var cq = NewCq(t);
        var rq = NewRq(t, leaf, cq);
        var data = new byte[64];
        var flags = new byte[8];
        var dataId = NewBuffer(t, data);
        var flagsId = NewBuffer(t, flags);
        for (int i = 0; i < 2; i++)
            Assert.NotEqual(0, t.RIOReceiveEx!(rq, new RIO_BUF(dataId, (uint)(i * 32), 32), 1, default, default, default,
                new RIO_BUF(flagsId, (uint)(i * 4), 4), 0, i));
        Ok(WSASend(root, [new WSABUF(Bytes("first "))], 1, out _, MSG_PARTIAL, null, null), "WSASend(MSG_PARTIAL)");
        Ok(WSASend(root, [new WSABUF(Bytes("last"))], 1, out _, 0, null, null), "WSASend");
        var results = Take(t, cq, 2);
        Assert.Equal([6u, 4u], results.Select(r => r.BytesTransferred));
        Assert.Equal((uint)MSG_PARTIAL, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(flags));
        Assert.Equal(0u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(flags.AsSpan(4)));
    }

    private static System.Net.IPEndPoint LocalName(SOCKET s)
    {
        var name = new byte[SockAddr.SizeIn6];
        int len = name.Length;
        Ok(getsockname(s, name, ref len), "getsockname");
        return SockAddr.ToEndPoint(name);
    }
}
