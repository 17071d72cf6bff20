using System.Diagnostics;
using static Winsock2.Ws2Spi;
using static Winsock2.Providers.Tracing.TraceFormat;

namespace Winsock2.Providers.Tracing;

/// <summary>
/// The data path. Overlapped requests pass straight down: the WSAOVERLAPPED, its event and the thread id carry no socket
/// handle, so the next provider completes them for the application directly. A completion routine is wrapped so its
/// completion is traced too (the application's routine runs right after, with the same arguments).
/// </summary>
public sealed partial class TracingProvider
{
    /// <inheritdoc />
    public int WSPSend(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesSent, uint dwFlags,
        WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine, WSATHREADID? lpThreadId, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        lpNumberOfBytesSent = 0;
        string args = $"s={H(s)}, bufs={Bufs(lpBuffers, dwBufferCount)}{Data(lpBuffers, dwBufferCount, Total(lpBuffers, dwBufferCount))}, "
            + $"flags={Msg(dwFlags)}, ov={Ov(lpOverlapped, lpCompletionRoutine)}";
        int rc = Lower(s, out var l, out lpErrno)
            ? _next.WSPSend(l, lpBuffers, dwBufferCount, out lpNumberOfBytesSent, dwFlags, lpOverlapped,
                Traced("WSPSend", s, lpCompletionRoutine, null, 0), lpThreadId, out lpErrno)
            : SOCKET_ERROR;
        _log.Call(t0, $"WSPSend({args}) {Rc(rc, lpErrno)}{(rc == 0 ? $" bytes={lpNumberOfBytesSent}" : "")}");
        return rc;
    }

    /// <inheritdoc />
    public int WSPSendTo(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesSent, uint dwFlags,
        byte[]? lpTo, int iTolen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        lpNumberOfBytesSent = 0;
        string args = $"s={H(s)}, bufs={Bufs(lpBuffers, dwBufferCount)}{Data(lpBuffers, dwBufferCount, Total(lpBuffers, dwBufferCount))}, "
            + $"flags={Msg(dwFlags)}, to={Addr(lpTo, iTolen)}, ov={Ov(lpOverlapped, lpCompletionRoutine)}";
        int rc = Lower(s, out var l, out lpErrno)
            ? _next.WSPSendTo(l, lpBuffers, dwBufferCount, out lpNumberOfBytesSent, dwFlags, lpTo, iTolen, lpOverlapped,
                Traced("WSPSendTo", s, lpCompletionRoutine, null, 0), lpThreadId, out lpErrno)
            : SOCKET_ERROR;
        _log.Call(t0, $"WSPSendTo({args}) {Rc(rc, lpErrno)}{(rc == 0 ? $" bytes={lpNumberOfBytesSent}" : "")}");
        return rc;
    }

    /// <inheritdoc />
    public int WSPRecv(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesRecvd, ref uint lpFlags,
        WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine, WSATHREADID? lpThreadId, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        lpNumberOfBytesRecvd = 0;
        string args = $"s={H(s)}, bufs={Bufs(lpBuffers, dwBufferCount)}, flags={Msg(lpFlags)}, ov={Ov(lpOverlapped, lpCompletionRoutine)}";
        int rc = Lower(s, out var l, out lpErrno)
            ? _next.WSPRecv(l, lpBuffers, dwBufferCount, out lpNumberOfBytesRecvd, ref lpFlags, lpOverlapped,
                Traced("WSPRecv", s, lpCompletionRoutine, lpBuffers, dwBufferCount), lpThreadId, out lpErrno)
            : SOCKET_ERROR;
        _log.Call(t0, $"WSPRecv({args}) {Rc(rc, lpErrno)}"
            + (rc == 0 ? $" bytes={lpNumberOfBytesRecvd} flags={Msg(lpFlags)}{Data(lpBuffers, dwBufferCount, lpNumberOfBytesRecvd)}" : ""));
        return rc;
    }

    /// <inheritdoc />
    public int WSPRecvFrom(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesRecvd, ref uint lpFlags,
        byte[]? lpFrom, ref int lpFromlen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        lpNumberOfBytesRecvd = 0;
        string args = $"s={H(s)}, bufs={Bufs(lpBuffers, dwBufferCount)}, flags={Msg(lpFlags)}, fromlen={lpFromlen}, "
            + $"ov={Ov(lpOverlapped, lpCompletionRoutine)}";
        int rc = Lower(s, out var l, out lpErrno)
            ? _next.WSPRecvFrom(l, lpBuffers, dwBufferCount, out lpNumberOfBytesRecvd, ref lpFlags, lpFrom, ref lpFromlen, lpOverlapped,
                Traced("WSPRecvFrom", s, lpCompletionRoutine, lpBuffers, dwBufferCount), lpThreadId, out lpErrno)
            : SOCKET_ERROR;
        _log.Call(t0, $"WSPRecvFrom({args}) {Rc(rc, lpErrno)}"
            + (rc == 0 ? $" bytes={lpNumberOfBytesRecvd} flags={Msg(lpFlags)} from={Addr(lpFrom, lpFromlen)}"
                + Data(lpBuffers, dwBufferCount, lpNumberOfBytesRecvd) : ""));
        return rc;
    }

    /// <inheritdoc />
    public bool WSPGetOverlappedResult(SOCKET s, WSAOVERLAPPED lpOverlapped, out uint lpcbTransfer, bool fWait, out uint lpdwFlags, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        lpcbTransfer = 0;
        lpdwFlags = 0;
        bool ok = Lower(s, out var l, out lpErrno)
            && _next.WSPGetOverlappedResult(l, lpOverlapped, out lpcbTransfer, fWait, out lpdwFlags, out lpErrno);
        _log.Call(t0, $"WSPGetOverlappedResult(s={H(s)}, wait={YesNo(fWait)}) {Bool(ok, lpErrno)}"
            + (ok ? $" bytes={lpcbTransfer} flags={Msg(lpdwFlags)}" : ""));
        return ok;
    }

    /// <summary>
    /// The application's completion routine wrapped to trace its completion first (null stays null). The wrapper runs
    /// where the routine would have run: on the initiating thread, in an alertable wait.
    /// </summary>
    private LPWSAOVERLAPPED_COMPLETION_ROUTINE? Traced(string call, SOCKET s, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine,
        WSABUF[]? received, uint count)
    {
        if (routine is null) return null;
        var log = _log;
        return (dwError, cbTransferred, lpOverlapped, dwFlags) =>
        {
            log.Write($"{call} completion(s={H(s)}) error={ErrorNames.Status((int)dwError)} "
                + $"bytes={cbTransferred} flags={Msg(dwFlags)}{(dwError == 0 ? Data(received, count, cbTransferred) : "")}");
            routine(dwError, cbTransferred, lpOverlapped, dwFlags);
        };
    }
}
