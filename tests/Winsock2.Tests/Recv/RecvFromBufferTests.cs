using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Recv;

/// <summary>recvfrom/WSARecvFrom on the Inet provider judge the real from buffer before a datagram is consumed.</summary>
public class RecvFromBufferTests : WinsockTest
{
    [Fact]
    public void recvfrom_ShortFromBuffer_WSAEFAULT_DatagramStillQueued()
    {
        var (a, _, b, addrB) = UdpPair();
        try
        {
            var msg = Bytes("datagram");
            Assert.Equal(msg.Length, sendto(a, msg, msg.Length, 0, addrB, addrB.Length));
            var buf = new byte[64];
            int fromlen = 16; // claims a full sockaddr_in, the buffer has 4 bytes
            Fails(WSAEFAULT, recvfrom(b, buf, buf.Length, 0, new byte[4], ref fromlen));
            var from = new byte[16];
            fromlen = from.Length;
            Assert.Equal(msg.Length, recvfrom(b, buf, buf.Length, 0, from, ref fromlen));
            Assert.Equal("datagram", Text(buf, msg.Length));
        }
        finally
        {
            closesocket(a);
            closesocket(b);
        }
    }

    [Fact]
    public void WSARecvFrom_OverlappedShortFromBuffer_WSAEFAULTBeforePending()
    {
        var (a, _, b, addrB) = UdpPair();
        try
        {
            var ev = WSACreateEvent();
            var ov = new WSAOVERLAPPED { hEvent = ev };
            uint flags = 0;
            int fromlen = 16;
            Fails(WSAEFAULT, WSARecvFrom(b, [new WSABUF(new byte[64])], 1, out _, ref flags, new byte[4], ref fromlen, ov, null));
            var msg = Bytes("late");
            Assert.Equal(msg.Length, sendto(a, msg, msg.Length, 0, addrB, addrB.Length));
            var buf = new byte[64];
            var from = new byte[16];
            fromlen = from.Length;
            Assert.Equal(msg.Length, recvfrom(b, buf, buf.Length, 0, from, ref fromlen)); // no stranded request took it
            WSACloseEvent(ev);
        }
        finally
        {
            closesocket(a);
            closesocket(b);
        }
    }
}
