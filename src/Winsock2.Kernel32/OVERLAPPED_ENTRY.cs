namespace Winsock2;

/// <summary>
/// One completion packet as GetQueuedCompletionStatusEx returns it (minwinbase.h OVERLAPPED_ENTRY): the key of the
/// handle the operation ran on, the operation's WSAOVERLAPPED (null for a packet posted without one), the packet's status
/// and the bytes transferred.
/// </summary>
public struct OVERLAPPED_ENTRY
{
    /// <summary>The completion key the handle was associated with (or the one PostQueuedCompletionStatus gave).</summary>
    public nuint lpCompletionKey;
    /// <summary>The operation's overlapped structure (its result is in it, as WSAGetOverlappedResult reads it).</summary>
    public WSAOVERLAPPED? lpOverlapped;
    /// <summary>
    /// The packet's status as a Win32 error code: 0 for success, else what GetQueuedCompletionStatus would leave in
    /// GetLastError for it (ERROR_OPERATION_ABORTED, ERROR_NETNAME_DELETED ...). Windows keeps the NTSTATUS here.
    /// </summary>
    public nuint Internal;
    /// <summary>The bytes the operation transferred.</summary>
    public uint dwNumberOfBytesTransferred;
}
