namespace Winsock2;

/// <summary>The mswsock extension functions, reached as in C through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER).</summary>
public static partial class Ws2_32
{
    /// <summary>
    /// WSAIoctl with a GUID in and a function pointer out: SIO_GET_EXTENSION_FUNCTION_POINTER with WSAID_ACCEPTEX,
    /// WSAID_GETACCEPTEXSOCKADDRS, WSAID_CONNECTEX, WSAID_DISCONNECTEX, WSAID_TRANSMITFILE, WSAID_WSARECVMSG or
    /// WSAID_WSASENDMSG gives the socket's provider's function as the matching LPFN_ delegate:
    /// <code>WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_ACCEPTEX, out LPFN_ACCEPTEX? lpfnAcceptEx, out uint dwBytes, null, null);</code>
    /// The provider answers (its WSPIoctl; a layered provider can wrap the function). A GUID the provider does not
    /// offer, or a delegate type that is not that function's, is WSAEINVAL (with a null function); the usual WSAIoctl
    /// errors otherwise.
    /// </summary>
    public static int WSAIoctl<TFunction>(SOCKET s, uint dwIoControlCode, Guid lpvInBuffer, out TFunction? lpvOutBuffer,
        out uint lpcbBytesReturned, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine)
        where TFunction : Delegate
    {
        lpvOutBuffer = null;
        var output = new byte[ExtensionFunctionPointer.Size];
        int rc = WSAIoctl(s, dwIoControlCode, lpvInBuffer.ToByteArray(), 16, output, (uint)output.Length, out lpcbBytesReturned,
            lpOverlapped, lpCompletionRoutine);
        if (rc != 0) return rc;
        if (lpcbBytesReturned < ExtensionFunctionPointer.Size || !ExtensionFunctionPointer.TryGet(ExtensionFunctionPointer.Read(output), out lpvOutBuffer))
        {
            lpcbBytesReturned = 0;
            return Dispatch.Finish(SOCKET_ERROR, WSAEINVAL);
        }
        return 0;
    }
}
