using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// A rooted socket's posted receives on the core's operation queue: posting order across the root and its per-leaf
/// sockets, thread-exit rundown, and closesocket.
/// </summary>
public class ReceiveQueueTests : RootedTest
{
    [Fact]
    public void WSARecv_RootedThreadExit_CancelsItsPendingReceive()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        var ev = NewEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        int rc = 0, error = 0;
        var t = new Thread(() =>
        {
            uint flags = 0;
            rc = WSARecv(leaf, [new WSABUF(new byte[16])], 1, out _, ref flags, ov, null);
            error = WSAGetLastError();
        });
        t.Start();
        t.Join();
        Assert.Equal(SOCKET_ERROR, rc);
        Assert.Equal(WSA_IO_PENDING, error);
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 10_000, false));
        Assert.False(WSAGetOverlappedResult(leaf, ov, out _, false, out _));
        Assert.Equal(WSA_OPERATION_ABORTED, WSAGetLastError());
        SendText(root, "still works");
        Assert.Equal("still works", RecvText(leaf));
    }

    [Fact]
    public void WSARecv_RootAndPerLeafSocket_MessagesGoToReceivesInPostingOrder()
    {
        var (root, addr) = ListeningRoot();
        var (leaf1, handle1) = JoinAccepted(root, addr);
        var (leaf2, _) = JoinAccepted(root, addr);
        // Posted in this order: the root (any leaf), leaf 1's own socket, the root again.
        var evs = new[] { NewEvent(), NewEvent(), NewEvent() };
        var ovs = evs.Select(e => new WSAOVERLAPPED { hEvent = e }).ToArray();
        var bufs = evs.Select(_ => new byte[32]).ToArray();
        var on = new[] { root, handle1, root };
        for (int i = 0; i < 3; i++)
        {
            uint flags = 0;
            Assert.Equal(SOCKET_ERROR, WSARecv(on[i], [new WSABUF(bufs[i])], 1, out _, ref flags, ovs[i], null));
            Assert.Equal(WSA_IO_PENDING, WSAGetLastError());
        }
        SendText(leaf2, "from 2");     // leaf 2's message: the first receive that may take it is the root's first
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [evs[0]], false, 10_000, false));
        SendText(leaf1, "from 1");     // leaf 1's: its own socket's receive was posted before the root's second
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [evs[1]], false, 10_000, false));
        Assert.Equal("from 2", Text(bufs[0], ovs[0]));
        Assert.Equal("from 1", Text(bufs[1], ovs[1]));
        Assert.False(WSAGetOverlappedResult(root, ovs[2], out _, false, out _));
        Assert.Equal(WSA_IO_INCOMPLETE, WSAGetLastError());
        closesocket(root); // the root's last receive is aborted
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [evs[2]], false, 10_000, false));
        Assert.Equal((uint)WSA_OPERATION_ABORTED, ovs[2].OffsetHigh);
    }

    private static string Text(byte[] buf, WSAOVERLAPPED ov) => System.Text.Encoding.UTF8.GetString(buf, 0, (int)ov.InternalHigh);
}
