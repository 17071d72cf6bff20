using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>Helpers for completion port tests: ports and sockets made here are closed on Dispose.</summary>
public abstract class IocpTest : WinsockTest
{
    private readonly List<HANDLE> _ports = new();
    private readonly List<SOCKET> _sockets = new();
    private readonly List<WSAEVENT> _events = new();

    /// <summary>A new port not associated with anything.</summary>
    protected HANDLE NewPort(uint concurrency = 0)
    {
        var port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, concurrency);
        Assert.True(port is not null, $"CreateIoCompletionPort failed with {GetLastError()}");
        _ports.Add(port);
        return port;
    }

    protected SOCKET Track(SOCKET s)
    {
        Check(s);
        _sockets.Add(s);
        return s;
    }

    protected WSAEVENT NewEvent()
    {
        var e = WSACreateEvent();
        _events.Add(e);
        return e;
    }

    /// <summary>Associates <paramref name="s"/> with <paramref name="port"/> under <paramref name="key"/>.</summary>
    protected static void Associate(SOCKET s, HANDLE port, nuint key)
    {
        var got = CreateIoCompletionPort((HANDLE)s, port, key, 0);
        Assert.True(got is not null, $"association failed with {GetLastError()}");
        Assert.Equal(port, got);
    }

    /// <summary>One packet, waiting at most 10 s (only a stuck test waits that long).</summary>
    protected static (bool Ok, uint Bytes, nuint Key, WSAOVERLAPPED? Ov, uint Error) Take(HANDLE port, uint ms = 10_000)
    {
        bool ok = GetQueuedCompletionStatus(port, out uint bytes, out nuint key, out var ov, ms);
        return (ok, bytes, key, ov, ok ? 0 : GetLastError());
    }

    /// <summary>Posts an overlapped receive into <paramref name="buf"/>: pending (or done at once).</summary>
    protected static int PostRecv(SOCKET s, byte[] buf, WSAOVERLAPPED ov)
    {
        uint flags = 0;
        return WSARecv(s, [new WSABUF(buf)], 1, out _, ref flags, ov, null);
    }

    public override void Dispose()
    {
        foreach (var s in _sockets) closesocket(s);
        foreach (var p in _ports) CloseHandle(p);
        foreach (var e in _events) WSACloseEvent(e);
        base.Dispose();
    }
}
