using Winsock2.Kernel;
using Winsock2.Runtime;

namespace Winsock2;

/// <summary>Event objects, alertable waits, WSAEventSelect, WSAAsyncSelect, WSAEnumNetworkEvents.</summary>
public static partial class Ws2_32
{
    /// <summary>A manual-reset event, initially nonsignalled.</summary>
    public static WSAEVENT WSACreateEvent()
    {
        try { return Kernel.Events.Create(); }
        catch (Exception e)
        {
            Dispatch.Fail(e);
            return WSA_INVALID_EVENT;
        }
    }

    /// <summary>Closes an event (WSA_INVALID_HANDLE if it is not one).</summary>
    public static bool WSACloseEvent(WSAEVENT hEvent) => Kernel.Events.Close(hEvent) || Dispatch.SetError(WSA_INVALID_HANDLE);

    /// <summary>Signals an event.</summary>
    public static bool WSASetEvent(WSAEVENT hEvent) => Kernel.Events.Set(hEvent) || Dispatch.SetError(WSA_INVALID_HANDLE);

    /// <summary>Resets an event.</summary>
    public static bool WSAResetEvent(WSAEVENT hEvent) => Kernel.Events.Reset(hEvent) || Dispatch.SetError(WSA_INVALID_HANDLE);

    /// <summary>
    /// Waits for one or all of up to 64 events: WSA_WAIT_EVENT_0 + the lowest signalled index, WSA_WAIT_TIMEOUT,
    /// WSA_WAIT_IO_COMPLETION (alertable, and completion routines ran), or WSA_WAIT_FAILED
    /// (WSA_INVALID_PARAMETER, WSA_INVALID_HANDLE).
    /// </summary>
    public static uint WSAWaitForMultipleEvents(uint cEvents, WSAEVENT[] lphEvents, bool fWaitAll, uint dwTimeout, bool fAlertable)
    {
        try
        {
            if (lphEvents is null || cEvents == 0 || cEvents > WSA_MAXIMUM_WAIT_EVENTS || cEvents > lphEvents.Length)
            {
                Dispatch.SetError(WSA_INVALID_PARAMETER);
                return WSA_WAIT_FAILED;
            }
            // Validate every handle first; if the wait is already satisfied, answer without registering a waiter.
            int firstSignaled = -1;
            bool allSignaled = true;
            for (int i = 0; i < cEvents; i++)
            {
                if (!Kernel.Events.TryGet(lphEvents[i], out var obj))
                {
                    Dispatch.SetError(WSA_INVALID_HANDLE);
                    return WSA_WAIT_FAILED;
                }
                bool signaled = obj.IsSignaled;
                if (signaled && firstSignaled < 0) firstSignaled = i;
                allSignaled &= signaled;
            }
            if (fWaitAll ? allSignaled : firstSignaled >= 0) return WSA_WAIT_EVENT_0 + (uint)(fWaitAll ? 0 : firstSignaled);
            var objects = new EventObject[cEvents];
            for (int i = 0; i < cEvents; i++)
            {
                if (!Kernel.Events.TryGet(lphEvents[i], out objects[i]))
                {
                    Dispatch.SetError(WSA_INVALID_HANDLE);
                    return WSA_WAIT_FAILED;
                }
            }
            return Waits.WaitForEvents(objects, fWaitAll, dwTimeout, fAlertable);
        }
        catch (Exception e)
        {
            Dispatch.Fail(e);
            return WSA_WAIT_FAILED;
        }
    }

    /// <summary>Sleeps, not alertably (kernel32 Sleep: SleepEx(dwMilliseconds, FALSE)); INFINITE never returns.</summary>
    public static void Sleep(uint dwMilliseconds) => SleepEx(dwMilliseconds, false);

    /// <summary>Sleeps; alertable sleeps run queued completion routines and return WSA_WAIT_IO_COMPLETION (0xC0), else 0.</summary>
    public static uint SleepEx(uint dwMilliseconds, bool bAlertable)
    {
        try { return Waits.SleepEx(dwMilliseconds, bAlertable); }
        catch (Exception e)
        {
            Dispatch.Fail(e);
            return 0;
        }
    }

    /// <summary>Associates network events with an event object; makes the socket nonblocking; mask 0 cancels.</summary>
    public static int WSAEventSelect(SOCKET s, WSAEVENT hEventObject, int lNetworkEvents)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            return Dispatch.Finish(p.WSPEventSelect(s, hEventObject, lNetworkEvents, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Posts <paramref name="wMsg"/> to <paramref name="hWnd"/> for network events; makes the socket nonblocking.</summary>
    public static int WSAAsyncSelect(SOCKET s, HWND? hWnd, uint wMsg, int lEvent)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            return Dispatch.Finish(p.WSPAsyncSelect(s, hWnd, wMsg, lEvent, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Copies and clears the socket's record of network events; resets <paramref name="hEventObject"/> if given.</summary>
    public static int WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, WSANETWORKEVENTS lpNetworkEvents)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            return Dispatch.Finish(p.WSPEnumNetworkEvents(s, hEventObject, lpNetworkEvents, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>WSAGETSELECTEVENT(lParam).</summary>
    public static int WSAGETSELECTEVENT(nint lParam) => (int)(lParam & 0xFFFF);

    /// <summary>WSAGETSELECTERROR(lParam).</summary>
    public static int WSAGETSELECTERROR(nint lParam) => (int)((lParam >> 16) & 0xFFFF);
}
