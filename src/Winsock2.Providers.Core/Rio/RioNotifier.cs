using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>
/// A completion queue's notification (RIO_NOTIFICATION_COMPLETION, copied at creation): RIONotify arms it once; the
/// first published result without RIO_MSG_DONT_NOTIFY — or one already in the queue when it is armed — fires it and
/// disarms it. An event is set through the provider's upcall (WPUSetEvent), as every other socket event is, so a
/// layered provider sees it; a completion port gets one packet (CompletionKey, Overlapped) per arming.
/// </summary>
internal sealed class RioNotifier
{
    private readonly WSPUPCALLTABLE _upcalls;
    private readonly int _type;
    private readonly WSAEVENT _event;
    private readonly bool _notifyReset;
    private readonly HANDLE? _port;
    private readonly nuint _key;
    private readonly WSAOVERLAPPED? _overlapped;
    private bool _armed; // written under the queue's lock

    /// <summary>RIONotify armed it and it has not fired yet (read without the lock).</summary>
    public bool Armed => Volatile.Read(ref _armed);

    private RioNotifier(WSPUPCALLTABLE upcalls, RIO_NOTIFICATION_COMPLETION n)
    {
        _upcalls = upcalls;
        _type = n.Type;
        _event = n.Event.EventHandle;
        _notifyReset = n.Event.NotifyReset;
        _port = n.Iocp.IocpHandle;
        _key = n.Iocp.CompletionKey;
        _overlapped = n.Iocp.Overlapped;
    }

    /// <summary>
    /// RIOCreateCompletionQueue's notification: 0 and the notifier (null for a polled queue); WSAEINVAL for an unknown
    /// type, an event type without an event, a completion-port type without a port or with a null Overlapped.
    /// </summary>
    public static int Create(WSPUPCALLTABLE upcalls, RIO_NOTIFICATION_COMPLETION? n, out RioNotifier? notifier)
    {
        notifier = null;
        if (n is null) return 0;
        if (n.Type == Ws2Spi.RIO_EVENT_COMPLETION)
        {
            if (n.Event is null || !n.Event.EventHandle.IsValid) return Ws2Spi.WSAEINVAL;
        }
        else if (n.Type == Ws2Spi.RIO_IOCP_COMPLETION)
        {
            if (n.Iocp is null || n.Iocp.IocpHandle is null || n.Iocp.Overlapped is null) return Ws2Spi.WSAEINVAL;
        }
        else return Ws2Spi.WSAEINVAL;
        notifier = new RioNotifier(upcalls, n);
        return 0;
    }

    /// <summary>
    /// RIONotify: 0, or WSAEALREADY while an arming has not fired yet (the error is returned, not set). With NotifyReset
    /// the event is reset before the arming, so a completion that fires it right away is never lost to the reset.
    /// </summary>
    public int Arm(RioCompletionQueue cq)
    {
        lock (cq.Gate)
        {
            if (_armed) return Ws2Spi.WSAEALREADY;
        }
        if (_type == Ws2Spi.RIO_EVENT_COMPLETION && _notifyReset) _upcalls.WPUResetEvent(_event, out _);
        bool fire;
        lock (cq.Gate)
        {
            if (_armed) return Ws2Spi.WSAEALREADY;
            fire = cq.HasNotifying; // results already waiting fire at once
            _armed = !fire;
        }
        if (fire) Fire();
        else cq.NotifyArmed(); // input left for the application's thread is read before it waits
        return 0;
    }

    /// <summary>Under the queue's lock: true (and disarmed) when armed.</summary>
    public bool TakeArmed()
    {
        if (!_armed) return false;
        _armed = false;
        return true;
    }

    /// <summary>Sets the event or posts the packet (outside the queue's lock).</summary>
    public void Fire()
    {
        if (_type == Ws2Spi.RIO_EVENT_COMPLETION) _upcalls.WPUSetEvent(_event, out _);
        else
        {
            // A port the application already closed takes nothing (as on Windows); the caller's last error stays as it was.
            var ctx = ThreadContext.Current;
            int saved = ctx.LastError;
            Kernel32.PostQueuedCompletionStatus(_port!, 0, _key, _overlapped);
            ctx.LastError = saved;
        }
    }
}
