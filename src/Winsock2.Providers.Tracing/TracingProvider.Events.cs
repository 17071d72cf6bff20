using System.Diagnostics;
using static Winsock2.Ws2Spi;
using static Winsock2.Providers.Tracing.TraceFormat;

namespace Winsock2.Providers.Tracing;

/// <summary>
/// Readiness and network events. WSPEventSelect and WSPEnumNetworkEvents pass down with the next provider's handle:
/// the event object names no socket. WSPAsyncSelect passes the application's window down unchanged; the next provider
/// posts with its own handle in wParam and the layer's upcall table translates it (<see cref="UpcallProxy"/>).
/// WSPSelect swaps every handle in the sets for the next provider's, and the answer back.
/// </summary>
public sealed partial class TracingProvider
{
    /// <inheritdoc />
    public int WSPEventSelect(SOCKET s, WSAEVENT hEventObject, int lNetworkEvents, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int rc = Lower(s, out var l, out lpErrno) ? _next.WSPEventSelect(l, hEventObject, lNetworkEvents, out lpErrno) : SOCKET_ERROR;
        _log.Call(t0, $"WSPEventSelect(s={H(s)}, event=0x{hEventObject.Value:X}, events={Events(lNetworkEvents)}) {Rc(rc, lpErrno)}");
        return rc;
    }

    /// <inheritdoc />
    public int WSPEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, WSANETWORKEVENTS lpNetworkEvents, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int rc = Lower(s, out var l, out lpErrno) ? _next.WSPEnumNetworkEvents(l, hEventObject, lpNetworkEvents, out lpErrno) : SOCKET_ERROR;
        _log.Call(t0, $"WSPEnumNetworkEvents(s={H(s)}, event=0x{hEventObject.Value:X}) {Rc(rc, lpErrno)}"
            + (rc == 0 ? $" events={NetworkEvents(lpNetworkEvents)}" : ""));
        return rc;
    }

    /// <inheritdoc />
    public int WSPAsyncSelect(SOCKET s, HWND? hWnd, uint wMsg, int lEvent, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int rc = Lower(s, out var l, out lpErrno) ? _next.WSPAsyncSelect(l, hWnd, wMsg, lEvent, out lpErrno) : SOCKET_ERROR;
        _log.Call(t0, $"WSPAsyncSelect(s={H(s)}, hWnd=0x{hWnd?.Value ?? 0:X}, msg=0x{wMsg:X}, events={Events(lEvent)}) {Rc(rc, lpErrno)}");
        return rc;
    }

    /// <summary>
    /// select: each set is rewritten with the next provider's handles, and the sets it answers are rewritten back. A
    /// handle that is not the layer's (another provider's socket) is WSAENOTSOCK, as a provider answers for a socket
    /// that is not its own. Handles of other instances of this layer (another chain over the same base) are translated
    /// too: they are the layer's handles, and the next provider decides whether it can wait on them together.
    /// </summary>
    public int WSPSelect(int nfds, fd_set? readfds, fd_set? writefds, fd_set? exceptfds, timeval? timeout, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        string args = $"nfds={nfds}, r={Set(readfds)}, w={Set(writefds)}, e={Set(exceptfds)}, timeout={Timeout(timeout)}";
        var up = new Dictionary<SOCKET, SOCKET>();
        int errno = 0;
        fd_set? Down(fd_set? set)
        {
            if (set is null) return null;
            var d = new fd_set();
            for (int i = 0; i < set.fd_count && i < set.fd_array.Length; i++)
            {
                if (!Lower(set.fd_array[i], out var l, out int e)) { errno = e; return d; }
                up[l] = set.fd_array[i];
                if (d.fd_count < d.fd_array.Length) d.fd_array[d.fd_count++] = l;
            }
            return d;
        }
        static void Up(fd_set? set, fd_set? d, Dictionary<SOCKET, SOCKET> map)
        {
            if (set is null || d is null) return;
            set.fd_count = 0;
            for (int i = 0; i < d.fd_count; i++)
                if (map.TryGetValue(d.fd_array[i], out var h)) set.fd_array[set.fd_count++] = h;
        }
        fd_set? r = Down(readfds), w = Down(writefds), x = Down(exceptfds);
        int rc;
        if (errno != 0) rc = Error(errno, out lpErrno);
        else
        {
            rc = _next.WSPSelect(nfds, r, w, x, timeout, out lpErrno);
            if (rc != SOCKET_ERROR)
            {
                Up(readfds, r, up);
                Up(writefds, w, up);
                Up(exceptfds, x, up);
            }
        }
        _log.Call(t0, $"WSPSelect({args}) {Rc(rc, lpErrno)}"
            + (rc != SOCKET_ERROR ? $" r={Set(readfds)} w={Set(writefds)} e={Set(exceptfds)}" : ""));
        return rc;
    }
}
