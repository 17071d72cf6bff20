namespace Winsock2;

/// <summary>send, sendto, WSASend, WSASendTo.</summary>
public static partial class Ws2_32
{
    /// <summary>Sends buf[0..len); returns the bytes sent or SOCKET_ERROR.</summary>
    public static int send(SOCKET s, byte[] buf, int len, int flags) => sendto(s, buf, len, flags, null, 0);

    /// <summary>Sends to an address (ignored on connected sockets).</summary>
    public static int sendto(SOCKET s, byte[] buf, int len, int flags, byte[]? to, int tolen) => sendto(s, buf, 0, len, flags, to, tolen);

    /// <summary>Gathers the buffers and sends them; overlapped rules as WSARecv.</summary>
    public static int WSASend(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesSent, uint dwFlags,
        WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine) =>
        WSASendTo(s, lpBuffers, dwBufferCount, out lpNumberOfBytesSent, dwFlags, null, 0, lpOverlapped, lpCompletionRoutine);

    /// <summary>WSASend to an address.</summary>
    public static int WSASendTo(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesSent, uint dwFlags,
        byte[]? lpTo, int iTolen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine)
    {
        lpNumberOfBytesSent = 0;
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            var tid = lpOverlapped is null && lpCompletionRoutine is null ? null : Dispatch.ThreadId();
            int rc = lpTo is null
                ? p.WSPSend(s, lpBuffers, dwBufferCount, out lpNumberOfBytesSent, dwFlags, lpOverlapped, lpCompletionRoutine, tid, out int errno)
                : p.WSPSendTo(s, lpBuffers, dwBufferCount, out lpNumberOfBytesSent, dwFlags, lpTo, iTolen, lpOverlapped, lpCompletionRoutine, tid, out errno);
            return Dispatch.FinishClearingOnSuccess(rc, errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }
}
