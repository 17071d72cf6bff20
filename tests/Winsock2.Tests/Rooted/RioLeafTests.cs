using static Winsock2.Kernel32;
using System.Buffers.Binary;
using Winsock2.Providers.Rooted;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>Registered I/O receives on a leaf: one completion per message, pieces with MSG_PARTIAL, the end, abort, notification.</summary>
public class RioLeafTests : RioRootedTest
{
    [Fact]
    public void RIOReceive_Leaf_OneCompletionPerMessage()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        var t = RioTable(leaf);
        var cq = NewCq(t);
        var rq = NewRq(t, leaf, cq);
        var buf = new byte[4 * 64];
        var id = NewBuffer(t, buf);
        for (int i = 0; i < 4; i++) Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, (uint)(i * 64), 64), 1, 0, 100 + i));
        string[] sent = ["a", "", "three", new string('x', 64)];
        foreach (var m in sent) Assert.Equal(m.Length, send(root, Bytes(m), m.Length, 0));
        var results = Take(t, cq, 4);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(0, results[i].Status);
            Assert.Equal((ulong)(100 + i), results[i].RequestContext);
            Assert.Equal((uint)sent[i].Length, results[i].BytesTransferred);
            Assert.Equal(sent[i], Text(buf[(i * 64)..], sent[i].Length));
        }
    }

    [Fact]
    public void RIOReceiveEx_LeafMessageLongerThanSlice_RestInNextReceivesWithMsgPartial()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        var t = RioTable(leaf);
        var cq = NewCq(t);
        var rq = NewRq(t, leaf, cq);
        var data = new byte[40];
        var flags = new byte[16];
        var dataId = NewBuffer(t, data);
        var flagsId = NewBuffer(t, flags);
        // Flags slices are prefilled with a value no receive may leave there.
        flags.AsSpan().Fill(0xEE);
        for (int i = 0; i < 4; i++)
            Assert.NotEqual(0, t.RIOReceiveEx!(rq, new RIO_BUF(dataId, (uint)(i * 10), 10), 1, default, default, default,
                new RIO_BUF(flagsId, (uint)(i * 4), 4), 0, i));
        SendText(root, "0123456789abcdefghijKLMNO");
        SendText(root, "next");
        var results = Take(t, cq, 4);
        Assert.Equal([10u, 10u, 5u, 4u], results.Select(r => r.BytesTransferred));
        Assert.Equal("0123456789abcdefghijKLMNO", Text(data, 25));
        Assert.Equal("next", Text(data[30..], 4));
        uint[] expected = [(uint)MSG_PARTIAL, (uint)MSG_PARTIAL, 0, 0];
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], BinaryPrimitives.ReadUInt32LittleEndian(flags.AsSpan(i * 4)));
    }

    [Fact]
    public void RIOReceive_LeafWithoutPostedReceive_MessagesWaitBoundedThenArriveInOrder()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVBUF, 16 * 1024), "SO_RCVBUF");
        var t = RioTable(leaf);
        var cq = NewCq(t);
        var rq = NewRq(t, leaf, cq, receives: 64);
        const int count = 2_000;
        var sender = Run(() =>
        {
            var m = new byte[1024];
            for (int i = 0; i < count; i++)
            {
                BitConverter.TryWriteBytes(m, i);
                Assert.Equal(m.Length, send(root, m, m.Length, 0));
            }
        });
        // No receive is posted: the leaf stops reading, holding at most its receive buffer.
        Assert.True(Runtime.ApiInstance.Sockets.TryGet(leaf.Value, out var entry));
        var conn = ((LeafSocket)entry.Context!).Conn!;
        Eventually(() => conn.ReadPaused, "the leaf to stop reading", 10_000);
        Assert.True(conn.Unread <= RootedLimits.ReceiveBound(16 * 1024), $"{conn.Unread} bytes unread");
        var buf = new byte[64 * 1024];
        var id = NewBuffer(t, buf);
        int next = 0;
        while (next < count)
        {
            int batch = Math.Min(64, count - next);
            for (int k = 0; k < batch; k++) Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, (uint)(k * 1024), 1024), 1, 0, k));
            var results = Take(t, cq, batch);
            for (int k = 0; k < batch; k++)
            {
                Assert.Equal((0, 1024u, (ulong)k), (results[k].Status, results[k].BytesTransferred, results[k].RequestContext));
                Assert.Equal(next, BitConverter.ToInt32(buf, k * 1024));
                next++;
            }
        }
        Assert.True(sender.Join(30_000), "the root's sends did not finish");
    }

    [Fact]
    public void RIOReceive_LeafSessionEndedGracefully_PostedReceiveCompletesWithWSAEDISCON()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        var t = RioTable(leaf);
        var cq = NewCq(t);
        var rq = NewRq(t, leaf, cq);
        var buf = new byte[64];
        var id = NewBuffer(t, buf);
        SendText(root, "last");
        Ok(shutdown(root, SD_SEND), "shutdown"); // the root ends the session
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 32), 1, 0, 1));
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 32, 32), 1, 0, 2));
        var results = Take(t, cq, 2);
        Assert.Equal((0, 4u), (results[0].Status, results[0].BytesTransferred));
        Assert.Equal("last", Text(buf, 4));
        Assert.Equal((WSAEDISCON, 0u), (results[1].Status, results[1].BytesTransferred));
    }

    [Fact]
    public void closesocket_RioLeaf_OutstandingReceivesAborted()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        var t = RioTable(leaf);
        var cq = NewCq(t);
        var rq = NewRq(t, leaf, cq);
        var id = NewBuffer(t, new byte[64]);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 32), 1, 0, 1));
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 32, 32), 1, 0, 2));
        Ok(closesocket(leaf), "closesocket");
        var results = Take(t, cq, 2);
        Assert.All(results, r => Assert.Equal(WSA_OPERATION_ABORTED, r.Status));
        Assert.Equal([1ul, 2ul], results.Select(r => r.RequestContext));
    }

    [Fact]
    public void RIONotify_LeafIocpQueue_PortGetsTheNotificationWhenAMessageArrives()
    {
        var (root, addr) = RioRoot();
        var (leaf, _) = RioJoin(root, addr);
        var t = RioTable(leaf);
        var port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0)!;
        var n = new RIO_NOTIFICATION_COMPLETION { Type = RIO_IOCP_COMPLETION };
        n.Iocp.IocpHandle = port;
        n.Iocp.CompletionKey = 42;
        n.Iocp.Overlapped = new WSAOVERLAPPED();
        var cq = NewCq(t, 64, n);
        var rq = NewRq(t, leaf, cq);
        var buf = new byte[64];
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(NewBuffer(t, buf), 0, 64), 1, 0, 7));
        Assert.Equal(0, t.RIONotify!(cq));
        SendText(root, "wake");
        Assert.True(GetQueuedCompletionStatus(port, out _, out nuint key, out _, 10_000), $"no notification ({WSAGetLastError()})");
        Assert.Equal(42u, (uint)key);
        var r = Take(t, cq, 1)[0];
        Assert.Equal((0, 4u, 7ul), (r.Status, r.BytesTransferred, r.RequestContext));
        Assert.Equal("wake", Text(buf, 4));
    }
}
