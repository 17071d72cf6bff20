namespace Winsock2;

/// <summary>
/// The overlapped structure. While an operation runs Internal is WSS_OPERATION_IN_PROGRESS; on completion
/// the provider sets InternalHigh = bytes transferred, Offset = flags, OffsetHigh = error, then Internal = 0.
/// A program's own per-I/O type may derive from it (C's structure that begins with an OVERLAPPED): the object posted
/// comes back, the same instance, to the completion routine and from WSAGetOverlappedResult, so a cast recovers it
/// where C uses CONTAINING_RECORD.
/// </summary>
public class WSAOVERLAPPED
{
    /// <summary>Status: WSS_OPERATION_IN_PROGRESS (0x103) while pending, 0 when done.</summary>
    public nuint Internal;
    /// <summary>Bytes transferred.</summary>
    public nuint InternalHigh;
    /// <summary>Completion flags (lpFlags on output).</summary>
    public uint Offset;
    /// <summary>Completion error code (0 on success).</summary>
    public uint OffsetHigh;
    /// <summary>Event signalled on completion when no completion routine is used; otherwise the caller's own value.</summary>
    public WSAEVENT hEvent;

    /// <summary>True while the operation is still pending.</summary>
    public bool IsPending => Volatile.Read(ref Internal) == Ws2Spi.WSS_OPERATION_IN_PROGRESS;

    /// <summary>Marks the operation pending (a provider does this before it returns WSA_IO_PENDING).</summary>
    public void Start()
    {
        InternalHigh = 0; Offset = 0; OffsetHigh = 0;
        Volatile.Write(ref Internal, (nuint)Ws2Spi.WSS_OPERATION_IN_PROGRESS);
    }

    /// <summary>Fills the result (InternalHigh = bytes, Offset = flags, OffsetHigh = error), then Internal = 0.</summary>
    public void Complete(int error, int bytes, int flags)
    {
        InternalHigh = (nuint)bytes;
        Offset = (uint)flags;
        OffsetHigh = (uint)error;
        Volatile.Write(ref Internal, 0);
    }
}
