using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>RIONotify: event and completion-port notification, once per arming; RIO_MSG_DONT_NOTIFY.</summary>
public class RioNotifyTests : RioTest
{
    private const uint WaitMs = 20_000;

    private static RIO_NOTIFICATION_COMPLETION EventNotification(WSAEVENT ev, bool reset)
    {
        var n = new RIO_NOTIFICATION_COMPLETION { Type = RIO_EVENT_COMPLETION };
        n.Event.EventHandle = ev;
        n.Event.NotifyReset = reset;
        return n;
    }

    private static bool IsSet(WSAEVENT ev) => WSAWaitForMultipleEvents(1, [ev], false, 0, false) == WSA_WAIT_EVENT_0;

    [Fact]
    public void RIONotify_Event_SetWhenACompletionArrives()
    {
        var (c, s) = RioTcpPair();
        var t = Table(s);
        var ev = WSACreateEvent();
        var cq = Cq(t, 16, EventNotification(ev, reset: true));
        var rq = Rq(t, s, cq);
        var id = Register(t, new byte[16]);
        Assert.Equal(0, t.RIONotify!(cq));
        Assert.False(IsSet(ev));
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 16), 1, 0, 1));
        Assert.Equal(2, send(c, Bytes("hi"), 2, 0));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, WaitMs, false));
        Assert.Equal(1u, t.RIODequeueCompletion!(cq, new RIORESULT[4], 4));
        WSACloseEvent(ev);
        closesocket(c);
        closesocket(s);
    }

    [Fact]
    public void RIONotify_NotifyReset_ResetsTheEventWhenArmed()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var ev = WSACreateEvent();
        var cq = Cq(t, 16, EventNotification(ev, reset: true));
        WSASetEvent(ev);
        Assert.Equal(0, t.RIONotify!(cq));
        Assert.False(IsSet(ev)); // reset by the arming, nothing to report
        WSACloseEvent(ev);
        closesocket(s);
    }

    [Fact]
    public void RIONotify_WithoutNotifyReset_LeavesTheEventAsItWas()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var ev = WSACreateEvent();
        var cq = Cq(t, 16, EventNotification(ev, reset: false));
        WSASetEvent(ev);
        Assert.Equal(0, t.RIONotify!(cq));
        Assert.True(IsSet(ev)); // the application resets it itself
        WSACloseEvent(ev);
        closesocket(s);
    }

    [Fact]
    public void RIONotify_TwiceWhileArmed_WSAEALREADY()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var ev = WSACreateEvent();
        var cq = Cq(t, 16, EventNotification(ev, reset: true));
        WSASetLastError(0);
        Assert.Equal(0, t.RIONotify!(cq));
        Assert.Equal(WSAEALREADY, t.RIONotify!(cq));
        Assert.Equal(0, WSAGetLastError()); // returned, not set
        WSACloseEvent(ev);
        closesocket(s);
    }

    [Fact]
    public void RIONotify_PolledOrInvalidQueue_WSAEINVAL()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        Assert.Equal(WSAEINVAL, t.RIONotify!(Cq(t)));
        Assert.Equal(WSAEINVAL, t.RIONotify!(null!));
        closesocket(s);
    }

    [Fact]
    public void RIONotify_QueueAlreadyHoldsResults_FiresAtOnce()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var ev = WSACreateEvent();
        var cq = Cq(t, 16, EventNotification(ev, reset: true));
        var rq = Rq(t, s, cq);
        var id = Register(t, new byte[16]);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 16), 1, 0, 1));
        closesocket(s); // its receive completes (aborted) into the queue
        Assert.Equal(0, t.RIONotify!(cq));
        Assert.True(IsSet(ev));
        Assert.Equal(WSA_OPERATION_ABORTED, Dequeue(t, cq, 1)[0].Status);
        WSACloseEvent(ev);
    }

    [Fact]
    public void RIONotify_DontNotifyResults_DoNotFire()
    {
        var s = RioUdp(out var addr);
        var peer = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        var t = Table(s);
        var ev = WSACreateEvent();
        var cq = Cq(t, 16, EventNotification(ev, reset: true));
        var rq = Rq(t, s, cq);
        var id = Register(t, new byte[32]);
        Assert.Equal(0, t.RIONotify!(cq));
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 16), 1, RIO_MSG_DONT_NOTIFY, 1));
        Assert.Equal(1, sendto(peer, Bytes("a"), 1, 0, addr, addr.Length));
        Assert.Equal(1ul, Dequeue(t, cq, 1)[0].RequestContext);
        Assert.False(IsSet(ev)); // the result arrived without firing the arming
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 16, 16), 1, 0, 2));
        Assert.Equal(1, sendto(peer, Bytes("b"), 1, 0, addr, addr.Length));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, WaitMs, false)); // the same arming fires now
        Assert.Equal(2ul, Dequeue(t, cq, 1)[0].RequestContext);
        WSACloseEvent(ev);
        closesocket(peer);
        closesocket(s);
    }

    [Fact]
    public void RIONotify_CompletionPort_PostsKeyAndOverlappedOncePerArming()
    {
        var (c, s) = RioTcpPair();
        var t = Table(s);
        var port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0)!;
        var ov = new WSAOVERLAPPED();
        var n = new RIO_NOTIFICATION_COMPLETION { Type = RIO_IOCP_COMPLETION };
        n.Iocp.IocpHandle = port;
        n.Iocp.CompletionKey = 0xC0FFEE;
        n.Iocp.Overlapped = ov;
        var cq = Cq(t, 16, n);
        var rq = Rq(t, s, cq);
        var id = Register(t, new byte[16]);
        Assert.Equal(0, t.RIONotify!(cq));
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 8), 1, 0, 1));
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 8, 8), 1, 0, 2));
        Assert.Equal(2, send(c, Bytes("ab"), 2, 0));
        Assert.True(GetQueuedCompletionStatus(port, out _, out nuint key, out var got, WaitMs));
        Assert.Equal((nuint)0xC0FFEE, key);
        Assert.Same(ov, got);
        Assert.Equal(1ul, Dequeue(t, cq, 1)[0].RequestContext);
        Assert.Equal(2, send(c, Bytes("cd"), 2, 0));
        Assert.Equal(2ul, Dequeue(t, cq, 1)[0].RequestContext);
        Assert.False(GetQueuedCompletionStatus(port, out _, out _, out var none, 0)); // not armed again: no second packet
        Assert.Null(none);
        Assert.Equal((uint)WAIT_TIMEOUT, GetLastError());
        CloseHandle(port);
        closesocket(c);
        closesocket(s);
    }
}
