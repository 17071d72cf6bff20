using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Events;

/// <summary>
/// Helpers for the event-model conformance tests (SPEC §5, §7): sockets and event objects the test makes are
/// closed at the end; waits are bounded and only ever wait — they never decide the outcome by elapsed time.
/// </summary>
public abstract class EventTest : WinsockTest
{
    /// <summary>The longest any single wait in these tests lasts.</summary>
    protected const int WaitMs = 5000;

    /// <summary>
    /// How long an "it did not happen" check lets a wrong implementation show itself. A correct implementation
    /// passes whatever this is; a slow machine can at worst hide a bug, never fail a correct library.
    /// </summary>
    protected const int GraceMs = 200;

    /// <summary>The message WSAAsyncSelect posts in these tests (WM_USER + 1).</summary>
    protected const uint WM_SOCKET = 0x0401;

    private readonly List<SOCKET> _sockets = new();
    private readonly List<WSAEVENT> _events = new();
    private readonly List<HWND> _windows = new();

    public override void Dispose()
    {
        foreach (var s in _sockets) closesocket(s);
        foreach (var e in _events) WSACloseEvent(e);
        foreach (var w in _windows) DestroyWindow(w);
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Remembers sockets to close when the test ends (closing one twice is harmless).</summary>
    protected T Own<T>(T sockets)
    {
        switch (sockets)
        {
            case SOCKET s: _sockets.Add(s); break;
            case ValueTuple<SOCKET, SOCKET> p: _sockets.Add(p.Item1); _sockets.Add(p.Item2); break;
            case ValueTuple<SOCKET, byte[]> l: _sockets.Add(l.Item1); break;
            case ValueTuple<SOCKET, byte[], SOCKET, byte[]> u: _sockets.Add(u.Item1); _sockets.Add(u.Item3); break;
        }
        return sockets;
    }

    protected SOCKET NewTcp(int af = AF_INET) => Own(Check(WSASocket(af, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED)));

    protected WSAEVENT NewEvent()
    {
        var e = WSACreateEvent();
        Assert.True(e.IsValid, $"WSACreateEvent failed with {WSAGetLastError()}");
        _events.Add(e);
        return e;
    }

    protected HWND NewWindow()
    {
        var w = CreateMessageWindow();
        _windows.Add(w);
        return w;
    }

    /// <summary>A connected client made by a blocking connect to <paramref name="address"/>.</summary>
    protected SOCKET ConnectTo(byte[] address, int af = AF_INET)
    {
        var c = NewTcp(af);
        Ok(connect(c, address, address.Length), "connect");
        return c;
    }

    /// <summary>A loopback address where nothing listens (a port bound once and released).</summary>
    protected static byte[] ClosedPort()
    {
        var s = Check(WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, null, 0, WSA_FLAG_OVERLAPPED));
        var any = Loopback();
        Ok(bind(s, any, any.Length), "bind");
        int port = PortOf(s);
        Ok(closesocket(s), "closesocket");
        return Loopback(port);
    }

    protected static void SetNonBlocking(SOCKET s, bool on = true)
    {
        uint arg = on ? 1u : 0u;
        Ok(ioctlsocket(s, FIONBIO, ref arg), "FIONBIO");
    }

    protected static bool IsSignalled(WSAEVENT ev, int ms = 0) =>
        WSAWaitForMultipleEvents(1, [ev], false, (uint)ms, false) == WSA_WAIT_EVENT_0;

    /// <summary>WSAEnumNetworkEvents that must succeed.</summary>
    protected static WSANETWORKEVENTS Enum(SOCKET s, WSAEVENT ev)
    {
        var ne = new WSANETWORKEVENTS();
        Ok(WSAEnumNetworkEvents(s, ev, ne), "WSAEnumNetworkEvents");
        return ne;
    }

    /// <summary>
    /// Collects the socket's records (WSAEnumNetworkEvents, then a bounded wait on the event) until every bit of
    /// <paramref name="wanted"/> was recorded; returns the union with each bit's error code.
    /// </summary>
    protected static WSANETWORKEVENTS WaitForEvents(SOCKET s, WSAEVENT ev, int wanted, int ms = WaitMs)
    {
        var all = new WSANETWORKEVENTS();
        var deadline = Environment.TickCount64 + ms;
        for (int round = 0; round < 10_000; round++)
        {
            var ne = Enum(s, ev);
            for (int bit = 0; bit < FD_MAX_EVENTS; bit++)
                if ((ne.lNetworkEvents & (1 << bit)) != 0) all.iErrorCode[bit] = ne.iErrorCode[bit];
            all.lNetworkEvents |= ne.lNetworkEvents;
            if ((all.lNetworkEvents & wanted) == wanted) return all;
            long left = deadline - Environment.TickCount64;
            Assert.True(left > 0, $"timed out waiting for events 0x{wanted:X} on {s}; recorded 0x{all.lNetworkEvents:X}");
            WSAWaitForMultipleEvents(1, [ev], false, (uint)left, false);
        }
        Assert.Fail("too many rounds waiting for network events");
        return all;
    }

    /// <summary>Gives a wrong implementation <see cref="GraceMs"/> to record <paramref name="fdEvents"/>, then checks it did not.</summary>
    protected static void AssertNotRecorded(SOCKET s, WSAEVENT ev, int fdEvents)
    {
        WSAWaitForMultipleEvents(1, [ev], false, GraceMs, false);
        var ne = Enum(s, ev);
        Assert.True((ne.lNetworkEvents & fdEvents) == 0, $"unexpected events 0x{ne.lNetworkEvents & fdEvents:X} on {s}");
    }

    /// <summary>The next message WSAAsyncSelect posted (bounded wait).</summary>
    protected static MSG NextMessage(HWND hwnd)
    {
        Assert.True(GetMessage(out var msg, hwnd, WaitMs), "timed out waiting for a WSAAsyncSelect message");
        return msg;
    }

    /// <summary>Takes messages (bounded) until one for <paramref name="s"/> carries <paramref name="fdEvent"/>; returns it and those before it.</summary>
    protected static (MSG Found, List<MSG> Before) WaitForMessage(HWND hwnd, SOCKET s, int fdEvent)
    {
        var before = new List<MSG>();
        for (int i = 0; i < 100; i++)
        {
            var msg = NextMessage(hwnd);
            if (msg.wParam == s.Value && WSAGETSELECTEVENT(msg.lParam) == fdEvent) return (msg, before);
            before.Add(msg);
        }
        Assert.Fail($"no message for event 0x{fdEvent:X} on {s}");
        return default;
    }

    /// <summary>Fills a nonblocking socket's send path until send fails with WSAEWOULDBLOCK; returns the bytes taken.</summary>
    protected static long FillUntilWouldBlock(SOCKET s)
    {
        var chunk = new byte[16 * 1024];
        long total = 0;
        for (int i = 0; i < 100_000; i++)
        {
            int n = send(s, chunk, chunk.Length, 0);
            if (n == SOCKET_ERROR)
            {
                Assert.Equal(WSAEWOULDBLOCK, WSAGetLastError());
                return total;
            }
            total += n;
        }
        Assert.Fail("the send buffer never filled");
        return total;
    }

    /// <summary>Blocking receives until exactly <paramref name="count"/> bytes arrived.</summary>
    protected static void Drain(SOCKET s, long count)
    {
        var buf = new byte[64 * 1024];
        long got = 0;
        for (int i = 0; i < 1_000_000 && got < count; i++)
        {
            int n = recv(s, buf, (int)Math.Min(buf.Length, count - got), 0);
            Assert.True(n > 0, $"recv returned {n} (error {WSAGetLastError()}) after {got} of {count} bytes");
            got += n;
        }
        Assert.Equal(count, got);
    }

    /// <summary>Waits (a blocking select with a bounded timeout) until <paramref name="s"/> is readable.</summary>
    protected static void WaitReadable(SOCKET s)
    {
        var set = fd_set.Of(s);
        Assert.Equal(1, select(0, set, null, null, new timeval { tv_sec = WaitMs / 1000 }));
    }

    protected static LPCONDITIONPROC Condition(Func<WSABUF?, WSABUF?, nuint, int> verdict) =>
        (WSABUF? callerId, WSABUF? callerData, QOS? sqos, QOS? gqos, WSABUF? calleeId, WSABUF? calleeData, out uint g, nuint data) =>
        {
            g = 0;
            return verdict(callerId, calleeId, data);
        };

    protected static System.Net.IPEndPoint LocalEndPoint(SOCKET s)
    {
        var name = new byte[28];
        int len = name.Length;
        Ok(getsockname(s, name, ref len), "getsockname");
        return SockAddr.ToEndPoint(name);
    }

    protected static System.Net.IPEndPoint PeerEndPoint(SOCKET s)
    {
        var name = new byte[28];
        int len = name.Length;
        Ok(getpeername(s, name, ref len), "getpeername");
        return SockAddr.ToEndPoint(name);
    }
}
