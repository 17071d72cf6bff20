using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Tracing;

/// <summary>
/// The rooted multipoint provider's event-driven side through the tracing layer: a nonblocking join finished by
/// FD_CONNECT, FD_ACCEPT and a condition function, overlapped receives by event and by routine, select and window
/// messages, all with the layer's handles.
/// </summary>
public class TracingLayerRootedEventsTests : TracingTest
{
    private const uint WM_SOCKET = 0x0402;

    private readonly List<WSAEVENT> _events = new();

    private WSAEVENT NewEvent()
    {
        var e = WSACreateEvent();
        _events.Add(e);
        return e;
    }

    /// <summary>Waits (bounded) until every bit of <paramref name="expected"/> was recorded; returns the merged record.</summary>
    private static WSANETWORKEVENTS WaitEvents(SOCKET s, WSAEVENT ev, int expected)
    {
        var all = new WSANETWORKEVENTS();
        var deadline = Environment.TickCount64 + 10_000;
        while ((all.lNetworkEvents & expected) != expected)
        {
            long left = deadline - Environment.TickCount64;
            Assert.True(left > 0, $"timed out waiting for events 0x{expected:X}; saw 0x{all.lNetworkEvents:X}");
            WSAWaitForMultipleEvents(1, [ev], false, (uint)left, false);
            var rec = new WSANETWORKEVENTS();
            Assert.Equal(0, WSAEnumNetworkEvents(s, ev, rec));
            for (int bit = 0; bit < FD_MAX_EVENTS; bit++)
                if ((rec.lNetworkEvents & (1 << bit)) != 0) all.iErrorCode[bit] = rec.iErrorCode[bit];
            all.lNetworkEvents |= rec.lNetworkEvents;
        }
        return all;
    }

    /// <summary>A nonblocking, event-driven leaf-initiated join through the layer; returns (root, leaf, the root's handle for the leaf).</summary>
    private (SOCKET Root, SOCKET Leaf, SOCKET Handle) EventDrivenJoin()
    {
        var root = Layered(RootedChain, RootFlags);
        var any = Loopback();
        Ok(bind(root, any, any.Length), "bind root");
        Ok(listen(root, 8), "listen root");
        var addr = Loopback(PortOf(root));
        var rootEv = NewEvent();
        Ok(WSAEventSelect(root, rootEv, FD_ACCEPT));
        var leaf = Layered(RootedChain, LeafFlags);
        var leafEv = NewEvent();
        Ok(WSAEventSelect(leaf, leafEv, FD_CONNECT));
        var callee = new WSABUF(new byte[16]);
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, new WSABUF(Bytes("hi")), callee, null, null, JL_BOTH));
        WaitEvents(root, rootEv, FD_ACCEPT);
        var handle = Track(Check(WSAAccept(root, (WSABUF? id, WSABUF? data, QOS? sq, QOS? gq, WSABUF? cid, WSABUF? cdata, out uint g, nuint cb) =>
        {
            g = 0;
            Bytes("ok").CopyTo(cdata!.buf!, 0);
            cdata.len = 2;
            return CF_ACCEPT;
        }, 0)));
        var rec = WaitEvents(leaf, leafEv, FD_CONNECT);
        Assert.Equal(0, rec.iErrorCode[FD_CONNECT_BIT]);
        Assert.Equal("ok", Text(callee.buf!, (int)callee.len));
        // Selection ends before the socket is used the ordinary way again.
        Ok(WSAEventSelect(leaf, leafEv, 0));
        Ok(WSAEventSelect(root, rootEv, 0));
        return (root, leaf, handle);
    }

    [Fact]
    public void TracingLayer_RootedNonblockingJoin_FdConnectAndOverlappedEventThroughLayer()
    {
        var (root, leaf, _) = EventDrivenJoin();
        Line($"WSPEventSelect(s={Hex(leaf)}", "events=FD_CONNECT) = 0");
        Line($"WSPEnumNetworkEvents(s={Hex(leaf)}", "= 0 events=FD_CONNECT");
        Line($"WSPEnumNetworkEvents(s={Hex(root)}", "= 0 events=FD_ACCEPT");
        Line($"WSPAccept(s={Hex(root)}, addrlen=0, condition=yes) = 0x");

        var ev = NewEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        var buf = new byte[64];
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(leaf, [new WSABUF(buf)], 1, out _, ref flags, ov, null));
        var msg = Bytes("fan-out");
        Assert.Equal(msg.Length, send(root, msg, msg.Length, 0));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 10_000, false));
        Assert.True(WSAGetOverlappedResult(leaf, ov, out uint bytes, false, out _));
        Assert.Equal("fan-out", Text(buf, (int)bytes));
        Line($"WSPRecv(s={Hex(leaf)}, bufs=1[64], flags=0, ov=event=0x{ev.Value:X}) = SOCKET_ERROR WSA_IO_PENDING(997)");
        Line($"WSPGetOverlappedResult(s={Hex(leaf)}, wait=no) = TRUE bytes=7");
    }

    [Fact]
    public void TracingLayer_RootedRoutineSelectAndWindow_LayerHandlesEverywhere()
    {
        var (_, leaf, handle) = EventDrivenJoin();

        // A completion routine on the root's per-leaf socket (a socket the layer wrapped in WSPAccept).
        var buf = new byte[64];
        uint flags = 0, got = 0;
        int calls = 0;
        Fails(WSA_IO_PENDING, WSARecv(handle, [new WSABUF(buf)], 1, out _, ref flags, new WSAOVERLAPPED(), (e, n, o, f) => { got = n; calls++; }));
        Assert.Equal(2, send(leaf, Bytes("up"), 2, 0));
        var deadline = Environment.TickCount64 + 10_000;
        while (calls == 0 && Environment.TickCount64 < deadline) SleepEx(100, true);
        Assert.Equal(1, calls);
        Assert.Equal("up", Text(buf, (int)got));
        Line($"WSPRecv completion(s={Hex(handle)}) error=0 bytes=2");

        // select answers with the layer's handle.
        var readable = fd_set.Of(handle);
        Assert.Equal(0, select(0, readable, null, null, new timeval()));
        Assert.Equal(3, send(leaf, Bytes("sel"), 3, 0));
        readable = fd_set.Of(handle);
        Assert.Equal(1, select(0, readable, null, null, new timeval { tv_sec = 10 }));
        Assert.Equal(handle, readable.fd_array[0]);
        Assert.Equal("sel", Text(buf, recv(handle, buf, buf.Length, 0)));

        // A window message names the layer's handle for the leaf.
        var hwnd = CreateMessageWindow();
        try
        {
            Ok(WSAAsyncSelect(handle, hwnd, WM_SOCKET, FD_READ));
            Assert.Equal(4, send(leaf, Bytes("note"), 4, 0));
            MSG m = default;
            var until = Environment.TickCount64 + 10_000;
            while (Environment.TickCount64 < until && !(GetMessage(out m, hwnd, 1000) && WSAGETSELECTEVENT(m.lParam) == FD_READ)) { }
            Assert.Equal(FD_READ, WSAGETSELECTEVENT(m.lParam));
            Assert.Equal(handle.Value, m.wParam);
            Line("WPUPostMessage(", "FD_READ", $"s={Hex(handle)} lower=");
        }
        finally { DestroyWindow(hwnd); }
    }

    public override void Dispose()
    {
        foreach (var e in _events) WSACloseEvent(e);
        base.Dispose();
    }
}
