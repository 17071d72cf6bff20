using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Tracing;

/// <summary>Overlapped I/O, event selection and window messages through the tracing layer.</summary>
public class TracingLayerOverlappedTests : TracingTest
{
    private const uint WM_SOCKET = 0x0401;

    private (SOCKET Client, SOCKET Server) LayeredPair()
    {
        var l = Layered(TcpChain);
        var any = Loopback();
        Ok(bind(l, any, any.Length), "bind");
        Ok(listen(l, 4), "listen");
        var addr = Loopback(PortOf(l));
        var c = Layered(TcpChain);
        Ok(connect(c, addr, addr.Length), "connect");
        return (c, Track(Check(accept(l))));
    }

    [Fact]
    public void TracingLayer_OverlappedRecvWithEvent_CompletesThroughLayer()
    {
        var (c, s) = LayeredPair();
        var ev = WSACreateEvent();
        try
        {
            var ov = new WSAOVERLAPPED { hEvent = ev };
            var buf = new byte[64];
            uint flags = 0;
            Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(buf)], 1, out _, ref flags, ov, null));
            Assert.False(WSAGetOverlappedResult(s, ov, out _, false, out _));
            Assert.Equal(WSA_IO_INCOMPLETE, WSAGetLastError());
            Assert.Equal(7, send(c, Bytes("pending"), 7, 0));
            Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 10_000, false));
            Assert.True(WSAGetOverlappedResult(s, ov, out uint bytes, false, out uint outFlags));
            Assert.Equal(7u, bytes);
            Assert.Equal(0u, outFlags);
            Assert.Equal("pending", Text(buf, 7));

            Line($"WSPRecv(s={Hex(s)}, bufs=1[64], flags=0, ov=event=0x{ev.Value:X}) = SOCKET_ERROR WSA_IO_PENDING(997)");
            Line($"WSPGetOverlappedResult(s={Hex(s)}, wait=no) = FALSE WSA_IO_INCOMPLETE(996)");
            Line($"WSPGetOverlappedResult(s={Hex(s)}, wait=no) = TRUE bytes=7 flags=0");
        }
        finally { WSACloseEvent(ev); }
    }

    [Fact]
    public void TracingLayer_OverlappedRecvWithRoutine_RoutineRunsAndCompletionTraced()
    {
        var (c, s) = LayeredPair();
        var buf = new byte[64];
        uint flags = 0, seen = 0, err = 99;
        int calls = 0;
        var ov = new WSAOVERLAPPED();
        Fails(WSA_IO_PENDING, WSARecv(s, [new WSABUF(buf)], 1, out _, ref flags, ov, (e, n, o, f) => { err = e; seen = n; calls++; Assert.Same(ov, o); }));
        Assert.Equal(4, send(c, Bytes("ping"), 4, 0));
        var deadline = Environment.TickCount64 + 10_000;
        while (calls == 0 && Environment.TickCount64 < deadline) SleepEx(100, true);
        Assert.Equal(1, calls);
        Assert.Equal(0u, err);
        Assert.Equal(4u, seen);
        Assert.Equal("ping", Text(buf, 4));
        Line($"WSPRecv(s={Hex(s)}, bufs=1[64], flags=0, ov=routine) = SOCKET_ERROR WSA_IO_PENDING(997)");
        Line($"WSPRecv completion(s={Hex(s)}) error=0 bytes=4 flags=0 data=70696e67");
    }

    [Fact]
    public void TracingLayer_EventSelect_EnumNetworkEventsThroughLayer()
    {
        var (c, s) = LayeredPair();
        var ev = WSACreateEvent();
        try
        {
            Ok(WSAEventSelect(s, ev, FD_READ | FD_CLOSE));
            Assert.Equal(3, send(c, Bytes("abc"), 3, 0));
            Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 10_000, false));
            var rec = new WSANETWORKEVENTS();
            Ok(WSAEnumNetworkEvents(s, ev, rec));
            Assert.Equal(FD_READ, rec.lNetworkEvents & FD_READ);
            Line($"WSPEventSelect(s={Hex(s)}, event=0x{ev.Value:X}, events=FD_READ|FD_CLOSE) = 0");
            Line($"WSPEnumNetworkEvents(s={Hex(s)}, event=0x{ev.Value:X}) = 0 events=FD_READ");
        }
        finally { WSACloseEvent(ev); }
    }

    [Fact]
    public void TracingLayer_AsyncSelect_MessagesCarryTheLayersHandles()
    {
        var l = Layered(TcpChain);
        var any = Loopback();
        Ok(bind(l, any, any.Length));
        Ok(listen(l, 4));
        var addr = Loopback(PortOf(l));
        var hwnd = CreateMessageWindow();
        try
        {
            Ok(WSAAsyncSelect(l, hwnd, WM_SOCKET, FD_ACCEPT | FD_READ));
            var c = Layered(TcpChain);
            Ok(connect(c, addr, addr.Length));
            var msg = Next(hwnd, FD_ACCEPT);
            Assert.Equal(l.Value, msg.wParam); // the listener's handle as the application knows it, not the base provider's
            var a = Track(Check(accept(l)));
            // The accepted socket inherits the selection; its messages name the layer's handle for it.
            Assert.Equal(2, send(c, Bytes("hi"), 2, 0));
            msg = Next(hwnd, FD_READ);
            Assert.Equal(a.Value, msg.wParam);
            Line($"WSPAsyncSelect(s={Hex(l)}, hWnd=0x{hwnd.Value:X}, msg=0x401, events=FD_READ|FD_ACCEPT) = 0");
            Line("WPUPostMessage(", "FD_ACCEPT", $"s={Hex(l)} lower=");
        }
        finally { DestroyWindow(hwnd); }
    }

    private static MSG Next(HWND hwnd, int fdEvent)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (Environment.TickCount64 < deadline)
        {
            if (!GetMessage(out var m, hwnd, 1000)) continue;
            if (WSAGETSELECTEVENT(m.lParam) == fdEvent) return m;
        }
        throw new Xunit.Sdk.XunitException($"no message for event 0x{fdEvent:X}");
    }
}
