using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Tracing;

/// <summary>The layer never changes a result: the same calls give the same results and error codes with and without it.</summary>
public class TracingLayerEquivalenceTests : TracingTest
{
    /// <summary>A run of calls, each recorded as (what, result, error).</summary>
    private List<string> Scenario(Func<int, int, int, SOCKET> make)
    {
        var results = new List<string>();
        void Rec(string what, int rc) => results.Add($"{what}: rc={rc} err={(rc == SOCKET_ERROR ? WSAGetLastError() : 0)}");

        var t = make(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        var buf = new byte[16];
        Rec("recv unconnected", recv(t, buf, buf.Length, 0));
        Rec("send unconnected", send(t, buf, 4, 0));
        int namelen = 28;
        var name = new byte[28];
        Rec("getpeername unconnected", getpeername(t, name, ref namelen));
        Rec("shutdown unconnected", shutdown(t, SD_SEND));
        Rec("getsockopt SO_TYPE", getsockopt(t, SOL_SOCKET, SO_TYPE, out int type));
        results.Add($"type={type}");
        Rec("setsockopt unknown", setsockopt(t, SOL_SOCKET, 0x7777, 1));
        Rec("setsockopt TCP_NODELAY", setsockopt(t, IPPROTO_TCP, TCP_NODELAY, 1));
        Rec("accept not listening", accept(t).IsValid ? 0 : SOCKET_ERROR);
        var any = Loopback();
        Rec("bind", bind(t, any, any.Length));
        Rec("bind again", bind(t, any, any.Length));
        Rec("bind short name", bind(make(AF_INET, SOCK_STREAM, IPPROTO_TCP), any, 3));
        var closed = ClosedPort();
        var c = make(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        Rec("connect refused", connect(c, closed, closed.Length));
        uint on = 1;
        Rec("FIONBIO", ioctlsocket(c, FIONBIO, ref on));
        uint avail = 5;
        Rec("FIONREAD", ioctlsocket(c, FIONREAD, ref avail));
        results.Add($"avail={avail}");
        Rec("bogus ioctl", WSAIoctl(c, 0x12345678, null, 0, null, 0, out _, null, null));

        var u = make(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        Rec("listen udp", listen(u, 1));
        Rec("send udp unconnected", send(u, buf, 4, 0));
        Rec("recv udp nonblocking", ioctlsocket(u, FIONBIO, ref on) == 0 ? recv(u, buf, buf.Length, 0) : -2);
        Rec("close", closesocket(u));
        Rec("close again", closesocket(u));
        return results;
    }

    private static byte[] ClosedPort()
    {
        var s = WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, 0);
        var any = SockAddr.From("127.0.0.1", 0);
        bind(s, any, any.Length);
        var name = new byte[16];
        int len = 16;
        getsockname(s, name, ref len);
        closesocket(s);
        return name;
    }

    [Fact]
    public void TracingLayer_SameCallsWithAndWithout_SameResultsAndErrors()
    {
        var plain = Scenario((af, type, proto) => Plain(af, type, proto));
        var layered = Scenario((af, type, proto) => Layered(type == SOCK_STREAM ? TcpChain : UdpChain));
        Assert.Equal(plain, layered);
        // And the layer did see them: a refused connect is traced by name.
        Line("WSPConnect(", "= SOCKET_ERROR WSAECONNREFUSED(10061)");
        Line("WSPIoctl(", "code=0x12345678", "= SOCKET_ERROR");
    }
}
