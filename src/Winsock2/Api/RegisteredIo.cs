using System.Buffers.Binary;

namespace Winsock2;

/// <summary>The Registered I/O function table, reached as in C through WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER).</summary>
public static partial class Ws2_32
{
    /// <summary>
    /// WSAIoctl with a GUID in and a function table out: SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER with
    /// WSAID_MULTIPLE_RIO fills <paramref name="lpvOutBuffer"/> with the socket's provider's Registered I/O functions,
    /// as C passes <c>&amp;table</c> with <c>sizeof(table)</c>:
    /// <code>var rio = new RIO_EXTENSION_FUNCTION_TABLE();
    /// WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO, rio, out uint dwBytes, null, null);</code>
    /// Underneath it is the byte-buffer WSAIoctl: the provider (a layered one may wrap any function) writes cbSize and
    /// 13 function pointers, resolved here into the table's fields. WSAEINVAL for another GUID, or when a pointer is not
    /// a function of the expected type; WSAEOPNOTSUPP for a socket kind without Registered I/O; WSAEFAULT for a null
    /// table; the usual WSAIoctl errors otherwise.
    /// </summary>
    public static int WSAIoctl(SOCKET s, uint dwIoControlCode, Guid lpvInBuffer, RIO_EXTENSION_FUNCTION_TABLE lpvOutBuffer,
        out uint lpcbBytesReturned, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine)
    {
        lpcbBytesReturned = 0;
        if (lpvOutBuffer is null) return Dispatch.Finish(SOCKET_ERROR, WSAEFAULT);
        var output = new byte[RIO_EXTENSION_FUNCTION_TABLE.Size];
        int rc = WSAIoctl(s, dwIoControlCode, lpvInBuffer.ToByteArray(), 16, output, (uint)output.Length, out lpcbBytesReturned,
            lpOverlapped, lpCompletionRoutine);
        if (rc != 0) return rc;
        var t = lpvOutBuffer;
        if (lpcbBytesReturned < RIO_EXTENSION_FUNCTION_TABLE.Size
            || !Get(output, 0, out t.RIOReceive) | !Get(output, 1, out t.RIOReceiveEx) | !Get(output, 2, out t.RIOSend)
            | !Get(output, 3, out t.RIOSendEx) | !Get(output, 4, out t.RIOCloseCompletionQueue) | !Get(output, 5, out t.RIOCreateCompletionQueue)
            | !Get(output, 6, out t.RIOCreateRequestQueue) | !Get(output, 7, out t.RIODequeueCompletion) | !Get(output, 8, out t.RIODeregisterBuffer)
            | !Get(output, 9, out t.RIONotify) | !Get(output, 10, out t.RIORegisterBuffer) | !Get(output, 11, out t.RIOResizeCompletionQueue)
            | !Get(output, 12, out t.RIOResizeRequestQueue))
        {
            lpcbBytesReturned = 0;
            return Dispatch.Finish(SOCKET_ERROR, WSAEINVAL);
        }
        t.cbSize = BinaryPrimitives.ReadUInt32LittleEndian(output);
        return 0;
    }

    /// <summary>The table's <paramref name="index"/>th function pointer (after the 8-byte cbSize), as <typeparamref name="T"/>.</summary>
    private static bool Get<T>(byte[] table, int index, out T? function) where T : Delegate =>
        ExtensionFunctionPointer.TryGet((nint)BinaryPrimitives.ReadInt64LittleEndian(table.AsSpan(8 + index * ExtensionFunctionPointer.Size)), out function);
}
