namespace Winsock2;

/// <summary>
/// A registered buffer (RIORegisterBuffer's result): opaque, as in C. The provider that registered it subclasses it;
/// null stands for RIO_INVALID_BUFFERID.
/// </summary>
public abstract class RIO_BUFFERID
{
    /// <summary>For the provider core's registration type.</summary>
    protected RIO_BUFFERID() { }
}

/// <summary>
/// A Registered I/O completion queue (RIOCreateCompletionQueue's result): opaque, as in C. Null stands for RIO_INVALID_CQ.
/// </summary>
public abstract class RIO_CQ
{
    /// <summary>For the provider core's completion queue type.</summary>
    protected RIO_CQ() { }
}

/// <summary>
/// A Registered I/O request queue (RIOCreateRequestQueue's result), bound to one socket: opaque, as in C. Null stands
/// for RIO_INVALID_RQ.
/// </summary>
public abstract class RIO_RQ
{
    /// <summary>For the provider core's request queue type.</summary>
    protected RIO_RQ() { }
}

/// <summary>
/// A slice of a registered buffer: <see cref="Length"/> bytes at <see cref="Offset"/>. Where C passes a NULL
/// <c>PRIO_BUF</c> (RIOSend with RIO_MSG_COMMIT_ONLY, an address RIOSendEx does not give), pass <c>default</c>: a
/// RIO_BUF whose <see cref="BufferId"/> is null stands for NULL.
/// </summary>
public struct RIO_BUF
{
    /// <summary>The registered buffer.</summary>
    public RIO_BUFFERID? BufferId;
    /// <summary>Where the slice starts in the registered buffer.</summary>
    public uint Offset;
    /// <summary>The slice's length in bytes.</summary>
    public uint Length;

    /// <summary>A slice of <paramref name="bufferId"/>.</summary>
    public RIO_BUF(RIO_BUFFERID? bufferId, uint offset, uint length)
    {
        BufferId = bufferId;
        Offset = offset;
        Length = length;
    }
}

/// <summary>One completed request, as RIODequeueCompletion returns it.</summary>
public struct RIORESULT
{
    /// <summary>0 (NO_ERROR), or the Winsock error code the request completed with.</summary>
    public int Status;
    /// <summary>Bytes sent or received.</summary>
    public uint BytesTransferred;
    /// <summary>The SocketContext given to RIOCreateRequestQueue.</summary>
    public ulong SocketContext;
    /// <summary>The RequestContext given to the send or receive.</summary>
    public ulong RequestContext;
}

/// <summary>How a completion queue tells the application it has completions (RIONotify): null for a polled queue.</summary>
public sealed class RIO_NOTIFICATION_COMPLETION
{
    /// <summary>RIO_EVENT_COMPLETION or RIO_IOCP_COMPLETION.</summary>
    public int Type;
    /// <summary>For RIO_EVENT_COMPLETION: the event to set.</summary>
    public RIO_EVENT_NOTIFICATION Event = new();
    /// <summary>For RIO_IOCP_COMPLETION: the completion port packet to post.</summary>
    public RIO_IOCP_NOTIFICATION Iocp = new();
}

/// <summary>The event a completion queue sets when RIONotify fires.</summary>
public sealed class RIO_EVENT_NOTIFICATION
{
    /// <summary>An event from WSACreateEvent.</summary>
    public WSAEVENT EventHandle;
    /// <summary>True (C's nonzero BOOL): RIONotify resets the event before arming, so the application need not.</summary>
    public bool NotifyReset;
}

/// <summary>The completion port packet a completion queue posts when RIONotify fires.</summary>
public sealed class RIO_IOCP_NOTIFICATION
{
    /// <summary>A completion port from CreateIoCompletionPort.</summary>
    public HANDLE? IocpHandle;
    /// <summary>The packet's completion key.</summary>
    public nuint CompletionKey;
    /// <summary>The packet's overlapped structure (must not be null), which GetQueuedCompletionStatus returns.</summary>
    public WSAOVERLAPPED? Overlapped;
}

/// <summary>RIOReceive: posts a receive into a slice of a registered buffer (<paramref name="DataBufferCount"/> 0 or 1).</summary>
public delegate bool LPFN_RIORECEIVE(RIO_RQ SocketQueue, in RIO_BUF pData, uint DataBufferCount, uint Flags, nint RequestContext);

/// <summary>RIOReceiveEx: RIOReceive that also reports the local and remote address, control data and flags into registered slices.</summary>
public delegate int LPFN_RIORECEIVEEX(RIO_RQ SocketQueue, in RIO_BUF pData, uint DataBufferCount, in RIO_BUF pLocalAddress,
    in RIO_BUF pRemoteAddress, in RIO_BUF pControlContext, in RIO_BUF pFlags, uint Flags, nint RequestContext);

/// <summary>RIOSend: posts a send of a slice of a registered buffer (<paramref name="DataBufferCount"/> 0 or 1).</summary>
public delegate bool LPFN_RIOSEND(RIO_RQ SocketQueue, in RIO_BUF pData, uint DataBufferCount, uint Flags, nint RequestContext);

/// <summary>RIOSendEx: RIOSend with a remote address (UDP), local address and control data in registered slices.</summary>
public delegate bool LPFN_RIOSENDEX(RIO_RQ SocketQueue, in RIO_BUF pData, uint DataBufferCount, in RIO_BUF pLocalAddress,
    in RIO_BUF pRemoteAddress, in RIO_BUF pControlContext, in RIO_BUF pFlags, uint Flags, nint RequestContext);

/// <summary>RIOCloseCompletionQueue: closes a completion queue.</summary>
public delegate void LPFN_RIOCLOSECOMPLETIONQUEUE(RIO_CQ CQ);

/// <summary>RIOCreateCompletionQueue: a completion queue of <paramref name="QueueSize"/> entries (null notification: polled).</summary>
public delegate RIO_CQ? LPFN_RIOCREATECOMPLETIONQUEUE(uint QueueSize, RIO_NOTIFICATION_COMPLETION? NotificationCompletion);

/// <summary>RIOCreateRequestQueue: binds a socket to Registered I/O with the completion queues its requests complete into.</summary>
public delegate RIO_RQ? LPFN_RIOCREATEREQUESTQUEUE(SOCKET Socket, uint MaxOutstandingReceive, uint MaxReceiveDataBuffers,
    uint MaxOutstandingSend, uint MaxSendDataBuffers, RIO_CQ ReceiveCQ, RIO_CQ SendCQ, nint SocketContext);

/// <summary>RIODequeueCompletion: moves up to <paramref name="ArraySize"/> completions into <paramref name="Array"/>; their count, or RIO_CORRUPT_CQ.</summary>
public delegate uint LPFN_RIODEQUEUECOMPLETION(RIO_CQ CQ, RIORESULT[] Array, uint ArraySize);

/// <summary>RIODeregisterBuffer: ends a buffer's registration.</summary>
public delegate void LPFN_RIODEREGISTERBUFFER(RIO_BUFFERID BufferId);

/// <summary>RIONotify: arms the completion queue's notification once; 0 or the error code (returned, not set).</summary>
public delegate int LPFN_RIONOTIFY(RIO_CQ CQ);

/// <summary>RIORegisterBuffer: registers the first <paramref name="DataLength"/> bytes of <paramref name="DataBuffer"/>.</summary>
public delegate RIO_BUFFERID? LPFN_RIOREGISTERBUFFER(byte[] DataBuffer, uint DataLength);

/// <summary>RIOResizeCompletionQueue: grows or shrinks a completion queue.</summary>
public delegate bool LPFN_RIORESIZECOMPLETIONQUEUE(RIO_CQ CQ, uint QueueSize);

/// <summary>RIOResizeRequestQueue: changes a request queue's outstanding receive and send limits.</summary>
public delegate bool LPFN_RIORESIZEREQUESTQUEUE(RIO_RQ RQ, uint MaxOutstandingReceive, uint MaxOutstandingSend);

/// <summary>
/// The Registered I/O functions, as WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO) fills them
/// from the socket's provider.
/// </summary>
public sealed class RIO_EXTENSION_FUNCTION_TABLE
{
    /// <summary>The table's size in C (8 + 13 pointers = 112 bytes), set when filled.</summary>
    public uint cbSize;
#pragma warning disable CS1591 // each is the function of the same name, documented on its delegate type
    public LPFN_RIORECEIVE? RIOReceive;
    public LPFN_RIORECEIVEEX? RIOReceiveEx;
    public LPFN_RIOSEND? RIOSend;
    public LPFN_RIOSENDEX? RIOSendEx;
    public LPFN_RIOCLOSECOMPLETIONQUEUE? RIOCloseCompletionQueue;
    public LPFN_RIOCREATECOMPLETIONQUEUE? RIOCreateCompletionQueue;
    public LPFN_RIOCREATEREQUESTQUEUE? RIOCreateRequestQueue;
    public LPFN_RIODEQUEUECOMPLETION? RIODequeueCompletion;
    public LPFN_RIODEREGISTERBUFFER? RIODeregisterBuffer;
    public LPFN_RIONOTIFY? RIONotify;
    public LPFN_RIOREGISTERBUFFER? RIORegisterBuffer;
    public LPFN_RIORESIZECOMPLETIONQUEUE? RIOResizeCompletionQueue;
    public LPFN_RIORESIZEREQUESTQUEUE? RIOResizeRequestQueue;
#pragma warning restore CS1591

    /// <summary>The C size of the table: cbSize (padded to 8) and 13 function pointers.</summary>
    public const int Size = 8 + 13 * 8;
}
