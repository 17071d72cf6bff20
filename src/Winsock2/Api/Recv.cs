namespace Winsock2;

/// <summary>recv, recvfrom, WSARecv, WSARecvFrom, WSAGetOverlappedResult.</summary>
public static partial class Ws2_32
{
    /// <summary>Receives into buf[0..len); returns the byte count (0 = graceful close on a stream) or SOCKET_ERROR.</summary>
    public static int recv(SOCKET s, byte[] buf, int len, int flags)
    {
        int fromlen = 0;
        return recvfrom(s, buf, len, flags, null, ref fromlen);
    }

    /// <summary>
    /// Receives a datagram or message and its source address. A message larger than <paramref name="len"/> fills the
    /// buffer with its first part and fails with WSAEMSGSIZE; on a provider with MSG_PARTIAL (the rooted one) the rest
    /// stays queued for the next receive, on a datagram provider it is lost.
    /// </summary>
    public static int recvfrom(SOCKET s, byte[] buf, int len, int flags, byte[]? from, ref int fromlen) =>
        recvfrom(s, buf, 0, len, flags, from, ref fromlen);

    /// <summary>
    /// Receives into the buffers in order (the seed). Overlapped when <paramref name="lpOverlapped"/> or
    /// <paramref name="lpCompletionRoutine"/> is given: 0 if it completed at once (the routine already queued),
    /// else SOCKET_ERROR with WSA_IO_PENDING. lpNumberOfBytesRecvd and lpFlags change only on immediate completion
    /// (C# requires the out value: it is 0 when the call pends).
    /// </summary>
    public static int WSARecv(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesRecvd, ref uint lpFlags,
        WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine)
    {
        lpNumberOfBytesRecvd = 0;
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            var tid = lpOverlapped is null && lpCompletionRoutine is null ? null : Dispatch.ThreadId();
            return Dispatch.FinishClearingOnSuccess(p.WSPRecv(s, lpBuffers, dwBufferCount, out lpNumberOfBytesRecvd, ref lpFlags,
                lpOverlapped, lpCompletionRoutine, tid, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>WSARecv that also reports the sender (lpFrom is filled when the datagram arrives).</summary>
    public static int WSARecvFrom(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesRecvd, ref uint lpFlags,
        byte[]? lpFrom, ref int lpFromlen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine)
    {
        lpNumberOfBytesRecvd = 0;
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            var tid = lpOverlapped is null && lpCompletionRoutine is null ? null : Dispatch.ThreadId();
            return Dispatch.FinishClearingOnSuccess(p.WSPRecvFrom(s, lpBuffers, dwBufferCount, out lpNumberOfBytesRecvd, ref lpFlags, lpFrom, ref lpFromlen,
                lpOverlapped, lpCompletionRoutine, tid, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>
    /// The result of an overlapped operation: TRUE only on success; pending with fWait FALSE → WSA_IO_INCOMPLETE;
    /// fWait TRUE waits on hEvent (WSA_INVALID_HANDLE if it is not a valid event).
    /// </summary>
    public static bool WSAGetOverlappedResult(SOCKET s, WSAOVERLAPPED lpOverlapped, out uint lpcbTransfer, bool fWait, out uint lpdwFlags)
    {
        lpcbTransfer = 0;
        lpdwFlags = 0;
        try
        {
            if (!Dispatch.Enter(s, out var p)) return false;
            return Dispatch.Finish(p.WSPGetOverlappedResult(s, lpOverlapped, out lpcbTransfer, fWait, out lpdwFlags, out int errno), errno);
        }
        catch (Exception e)
        {
            Dispatch.Fail(e);
            return false;
        }
    }
}
