using Winsock2.Kernel;

namespace Winsock2.Providers.Rooted;

/// <summary>Event selection (WSAEventSelect / WSAAsyncSelect / WSAEnumNetworkEvents) and the threads waiting for readiness.</summary>
internal abstract partial class RootedSocket
{
    private readonly List<ThreadContext> _readyWaiters = new();

    public void AddReadyWaiter(ThreadContext ctx) { lock (Gate) _readyWaiters.Add(ctx); }
    public void RemoveReadyWaiter(ThreadContext ctx) { lock (Gate) _readyWaiters.Remove(ctx); }

    /// <summary>Wakes threads waiting for any change (select, blocking send, accept, join). Under the lock.</summary>
    public void WakeReadyWaiters()
    {
        foreach (var w in _readyWaiters) w.Waiter.Wake();
    }

    /// <summary>A blocking wait (alertable) until <paramref name="done"/> holds or the timeout passes.</summary>
    protected int WaitFor(Func<bool> done, int timeoutMs)
    {
        var ctx = ThreadContext.Current;
        AddReadyWaiter(ctx);
        try { return Waits.BlockingWait(done, static d => d(), timeoutMs); }
        finally { RemoveReadyWaiter(ctx); }
    }

    public int Select(WSAEVENT ev, HWND? window, uint msg, int mask, bool byWindow)
    {
        if ((mask & ~Ws2Spi.FD_ALL_EVENTS) != 0) return Ws2Spi.WSAEINVAL;
        lock (Gate)
        {
            if (Closed) return Ws2Spi.WSAENOTSOCK;
            if (byWindow)
            {
                if (mask != 0 && !MessageWindows.IsWindow(window)) return Ws2Spi.WSAEINVAL;
                Events.SelectWindow(window, msg, mask);
            }
            else
            {
                if (mask != 0 && !Kernel.Events.TryGet(ev, out _)) return Ws2Spi.WSAEINVAL;
                Events.SelectEvent(ev, mask);
            }
            NonBlocking = true;
            if (Joined && !WriteBlocked) Events.Signal(Ws2Spi.FD_WRITE, 0);
            RefreshEvents();
            return 0;
        }
    }

    public int EnumEvents(WSAEVENT ev, WSANETWORKEVENTS into)
    {
        lock (Gate)
        {
            if (Closed) return Ws2Spi.WSAENOTSOCK;
            if (ev.IsValid && !Provider.Upcalls.WPUResetEvent(ev, out _)) return Ws2Spi.WSAEINVAL;
            Events.TakeRecord(into);
            return 0;
        }
    }
}
