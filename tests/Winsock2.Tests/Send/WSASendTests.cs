using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Send;

/// <summary>WSASend / WSASendTo rules of SPEC §7 that TCP and UDP over loopback can show.</summary>
public class WSASendTests : WinsockTest
{
    [Fact]
    public void WSASend_AfterShutdownSend_WSAESHUTDOWN()
    {
        var (c, s) = TcpPair();
        Ok(shutdown(c, SD_SEND));
        Fails(WSAESHUTDOWN, WSASend(c, [new WSABUF(Bytes("late"))], 1, out uint sent, 0, null, null));
        Assert.Equal(0u, sent);
        Fails(WSAESHUTDOWN, send(c, Bytes("late"), 4, 0));
        // The peer sees the graceful close and none of the refused bytes.
        Assert.Equal(0, recv(s, new byte[8], 8, 0));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSASend_MsgPartialWithoutXP1_PARTIAL_MESSAGE_WSAEOPNOTSUPP()
    {
        // Neither TCP nor UDP entries carry XP1_PARTIAL_MESSAGE.
        var (a, _, b, addrB) = UdpPair();
        Fails(WSAEOPNOTSUPP, WSASendTo(a, [new WSABUF(Bytes("part"))], 1, out _, MSG_PARTIAL, addrB, addrB.Length, null, null));
        var (c, s) = TcpPair();
        Fails(WSAEOPNOTSUPP, WSASend(c, [new WSABUF(Bytes("part"))], 1, out _, MSG_PARTIAL, null, null));
        foreach (var x in new[] { a, b, c, s }) closesocket(x);
    }

    [Fact]
    public void WSASendTo_MessageLargerThanSO_MAX_MSG_SIZE_WSAEMSGSIZE_NothingSent()
    {
        var (a, _, b, addrB) = UdpPair();
        Assert.Equal(0, getsockopt(a, SOL_SOCKET, SO_MAX_MSG_SIZE, out int max));
        var big = new byte[max + 1];
        Fails(WSAEMSGSIZE, WSASendTo(a, [new WSABUF(big)], 1, out uint sent, 0, addrB, addrB.Length, null, null));
        Assert.Equal(0u, sent);
        // Gathered buffers count together.
        Fails(WSAEMSGSIZE, WSASendTo(a, [new WSABUF(new byte[max]), new WSABUF(new byte[1])], 2, out _, 0, addrB, addrB.Length, null, null));
        // Nothing went out: the next datagram the peer gets is the small one sent afterwards.
        Assert.Equal(2, sendto(a, Bytes("ok"), 2, 0, addrB, addrB.Length));
        var buf = new byte[16];
        Assert.Equal(2, recv(b, buf, buf.Length, 0));
        Assert.Equal("ok", Text(buf, 2));
        closesocket(a); closesocket(b);
    }
}
