using static Winsock2.Ws2_32;

namespace Winsock2.Tests;

public class SmokeTests : WinsockTest
{
    [Fact]
    public void send_recv_TcpLoopback_DeliversBytes()
    {
        var (c, s) = TcpPair();
        Assert.Equal(5, send(c, Bytes("hello"), 5, 0));
        var buf = new byte[16];
        int n = recv(s, buf, buf.Length, 0);
        Assert.Equal("hello", Text(buf, n));
        closesocket(c);
        Assert.Equal(0, recv(s, buf, buf.Length, 0));
        closesocket(s);
    }
}
