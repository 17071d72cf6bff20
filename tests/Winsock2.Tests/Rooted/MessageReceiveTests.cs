using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// recv/recvfrom on a message socket: a message that does not fit fails with WSAEMSGSIZE (the buffer holds its first
/// part, the rest stays for the next receive); WSARecv reports the same as MSG_PARTIAL. recvfrom judges the real
/// from buffer before anything is taken.
/// </summary>
public class MessageReceiveTests : RootedTest
{
    [Fact]
    public void recv_MessageLargerThanBuffer_WSAEMSGSIZE_FirstPartThenRest()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        SendText(root, "0123456789");
        var small = new byte[4];
        Fails(WSAEMSGSIZE, recv(leaf, small, small.Length, 0));
        Assert.Equal("0123", Text(small, 4)); // the buffer holds the first part
        Assert.Equal("456789", RecvText(leaf)); // the next receive returns the rest of the same message
        SendText(root, "next");
        Assert.Equal("next", RecvText(leaf));
    }

    [Fact]
    public void recvfrom_MessageLargerThanBuffer_WSAEMSGSIZE_OnPerLeafSocket()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, handle) = JoinAccepted(root, addr);
        SendText(leaf, "abcdefgh");
        var small = new byte[3];
        var from = new byte[16];
        int fromlen = from.Length;
        Fails(WSAEMSGSIZE, recvfrom(handle, small, small.Length, 0, from, ref fromlen));
        Assert.Equal("abc", Text(small, 3));
        Assert.Equal("defgh", RecvText(handle));
    }

    [Fact]
    public void recv_MessageExactlyFillingBuffer_NoError()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        SendText(root, "four");
        var buf = new byte[4];
        Assert.Equal(4, recv(leaf, buf, buf.Length, 0));
        Assert.Equal("four", Text(buf, 4));
    }

    [Fact]
    public void WSARecv_MessageLargerThanBuffers_MsgPartialNotAnError()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        SendText(root, "0123456789");
        var buf = new byte[4];
        uint flags = 0;
        Ok(WSARecv(leaf, [new WSABUF(buf)], 1, out uint n, ref flags, null, null));
        Assert.Equal((4u, (uint)MSG_PARTIAL), (n, flags));
    }

    [Fact]
    public void recvfrom_ShortFromBuffer_WSAEFAULT_MessageStillQueued()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        SendText(root, "kept");
        var buf = new byte[16];
        var shortFrom = new byte[4];
        int fromlen = 16; // claims more than the buffer has
        Fails(WSAEFAULT, recvfrom(leaf, buf, buf.Length, 0, shortFrom, ref fromlen));
        var from = new byte[16];
        fromlen = from.Length;
        Assert.Equal(4, recvfrom(leaf, buf, buf.Length, 0, from, ref fromlen));
        Assert.Equal("kept", Text(buf, 4)); // nothing was consumed by the failed call
    }

    [Fact]
    public void recvfrom_ShortFromBufferOnEmptyQueue_WSAEFAULTAtOnce()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        int rc = 0, error = 0;
        var t = Run(() =>
        {
            var buf = new byte[16];
            int fromlen = 16;
            rc = recvfrom(leaf, buf, buf.Length, 0, new byte[4], ref fromlen);
            error = WSAGetLastError();
        });
        bool returned = t.Join(10_000);
        if (!returned) SendText(root, "unblock"); // the receive waited: let it go before failing the test
        Assert.True(returned, "recvfrom with a short from buffer waited for a message");
        Assert.Equal((SOCKET_ERROR, WSAEFAULT), (rc, error));
        SendText(root, "after");
        Assert.Equal("after", RecvText(leaf));
    }
}
