using System.Buffers.Binary;

namespace Winsock2;

/// <summary>ioctlsocket and WSAIoctl.</summary>
public static partial class Ws2_32
{
    /// <summary>FIONBIO (in), FIONREAD and SIOCATMARK (out) through one u_long.</summary>
    public static int ioctlsocket(SOCKET s, uint cmd, ref uint argp)
    {
        var input = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(input, argp);
        var output = new byte[4];
        int rc = WSAIoctl(s, cmd, input, 4, output, 4, out uint returned, null, null);
        if (rc == 0 && returned >= 4) argp = BinaryPrimitives.ReadUInt32LittleEndian(output);
        return rc;
    }

    /// <summary>Socket I/O control; overlapped rules as WSARecv.</summary>
    public static int WSAIoctl(SOCKET s, uint dwIoControlCode, byte[]? lpvInBuffer, uint cbInBuffer, byte[]? lpvOutBuffer,
        uint cbOutBuffer, out uint lpcbBytesReturned, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine)
    {
        lpcbBytesReturned = 0;
        try
        {
            if (!Dispatch.Enter(s, out var p)) return SOCKET_ERROR;
            if ((lpvInBuffer is not null && cbInBuffer > lpvInBuffer.Length) || (lpvOutBuffer is not null && cbOutBuffer > lpvOutBuffer.Length))
                return Dispatch.Finish(SOCKET_ERROR, WSAEFAULT);
            var tid = lpOverlapped is null && lpCompletionRoutine is null ? null : Dispatch.ThreadId();
            return Dispatch.FinishClearingOnSuccess(p.WSPIoctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer,
                out lpcbBytesReturned, lpOverlapped, lpCompletionRoutine, tid, out int errno), errno);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Looks up a QoS template by name.</summary>
    public static bool WSAGetQOSByName(SOCKET s, WSABUF lpQOSName, QOS lpQOS)
    {
        try
        {
            if (!Dispatch.Enter(s, out var p)) return false;
            if (lpQOSName is null || lpQOS is null) return Dispatch.Finish(false, WSAEFAULT);
            return Dispatch.Finish(p.WSPGetQOSByName(s, lpQOSName, lpQOS, out int errno), errno);
        }
        catch (Exception e)
        {
            Dispatch.Fail(e);
            return false;
        }
    }
}
