using Winsock2.Tests.Tracing;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>Registered I/O through the tracing layer: the table passes through, RIOCreateRequestQueue maps the layer's socket.</summary>
public class RioTracingLayerTests : TracingTest
{
    private const uint RioFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO;

    private static RIO_EXTENSION_FUNCTION_TABLE Table(SOCKET s)
    {
        var t = new RIO_EXTENSION_FUNCTION_TABLE();
        Ok(WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO, t, out uint bytes, null, null), "WSAIoctl(WSAID_MULTIPLE_RIO)");
        Assert.Equal(112u, bytes);
        return t;
    }

    [Fact]
    public void RIOCreateRequestQueue_LayeredUdpSocket_MappedAndTraced_EventNotificationArrives()
    {
        var s = Layered(UdpChain, RioFlags);
        var any = Loopback();
        Ok(bind(s, any, any.Length), "bind");
        var addr = Loopback(PortOf(s));
        var peer = Plain(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        var t = Table(s);
        var plain = Table(Plain(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        Assert.NotSame(plain.RIOCreateRequestQueue, t.RIOCreateRequestQueue); // the layer's wrapper
        Assert.Same(plain.RIODequeueCompletion, t.RIODequeueCompletion);      // the others pass through

        var ev = WSACreateEvent();
        var n = new RIO_NOTIFICATION_COMPLETION { Type = RIO_EVENT_COMPLETION };
        n.Event.EventHandle = ev;
        n.Event.NotifyReset = true;
        var cq = t.RIOCreateCompletionQueue!(8, n)!;
        var rq = t.RIOCreateRequestQueue!(s, 2, 1, 2, 1, cq, cq, 61);
        Assert.True(rq is not null, $"RIOCreateRequestQueue through the layer failed with {WSAGetLastError()}");
        var buffer = new byte[32];
        var id = t.RIORegisterBuffer!(buffer, 32)!;
        Assert.Equal(0, t.RIONotify!(cq));
        Assert.True(t.RIOReceive!(rq!, new RIO_BUF(id, 0, 32), 1, 0, 8));
        Assert.Equal(5, sendto(peer, Bytes("layer"), 5, 0, addr, addr.Length));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 20_000, false));
        var results = new RIORESULT[2];
        Assert.Equal(1u, t.RIODequeueCompletion!(cq, results, 2));
        Assert.Equal((0, 5u, 61ul, 8ul), (results[0].Status, results[0].BytesTransferred, results[0].SocketContext, results[0].RequestContext));
        Assert.Equal("layer", Text(buffer, 5));
        WSACloseEvent(ev);
        Line($"RIOCreateRequestQueue(s={Hex(s)}, maxrecv=2, maxsend=2) = TRUE");
    }

    [Fact]
    public void RIOCreateRequestQueue_LayeredNotASocket_WSAENOTSOCK()
    {
        var s = Layered(UdpChain, RioFlags);
        var t = Table(s);
        var cq = t.RIOCreateCompletionQueue!(8, null)!;
        Assert.Null(t.RIOCreateRequestQueue!(new SOCKET(0x7FFF_FFF0), 1, 1, 1, 1, cq, cq, 0));
        Assert.Equal(WSAENOTSOCK, WSAGetLastError());
    }
}
