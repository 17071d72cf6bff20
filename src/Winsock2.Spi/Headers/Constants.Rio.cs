namespace Winsock2;

/// <summary>The constants of Registered I/O (mswsock.h, mswsockdef.h): the table's GUID and ioctl, the request flags and limits.</summary>
public static partial class Ws2Spi
{
#pragma warning disable CS1591 // The names are the documentation: each is the header's own constant.
    /// <summary>WSAIoctl code: in, the 16-byte GUID of a function table (WSAID_MULTIPLE_RIO); out, the table.</summary>
    public const uint SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER = 0xC8000024;

    /// <summary>The GUID naming the Registered I/O function table (RIO_EXTENSION_FUNCTION_TABLE).</summary>
    public static readonly Guid WSAID_MULTIPLE_RIO = new(0x8509e081, 0x96dd, 0x4005, 0xb1, 0x65, 0x9e, 0x2e, 0xe8, 0xc7, 0x9e, 0x3f);

    /// <summary>WSASocket flag: the socket will be used with Registered I/O (RIOCreateRequestQueue requires it).</summary>
    public const uint WSA_FLAG_REGISTERED_IO = 0x100;

    // Request flags (RIOSend / RIOReceive and their Ex forms).
    public const uint RIO_MSG_DONT_NOTIFY = 0x00000001;
    public const uint RIO_MSG_DEFER = 0x00000002;
    public const uint RIO_MSG_WAITALL = 0x00000004;
    public const uint RIO_MSG_COMMIT_ONLY = 0x00000008;

    /// <summary>The largest completion queue, in entries.</summary>
    public const uint RIO_MAX_CQ_SIZE = 0x8000000;
    /// <summary>What RIODequeueCompletion returns for a queue it cannot read (invalid, or used from two threads at once).</summary>
    public const uint RIO_CORRUPT_CQ = 0xFFFFFFFF;
    /// <summary>
    /// Where the first control record (WSACMSGHDR) starts in a RIOReceiveEx / RIOSendEx control-context slice: after the
    /// RIO_CMSG_BUFFER header, whose ULONG TotalLength counts these bytes and the records.
    /// </summary>
    public const int RIO_CMSG_BASE_SIZE = 8;

    // RIO_NOTIFICATION_COMPLETION_TYPE.
    public const int RIO_EVENT_COMPLETION = 1;
    public const int RIO_IOCP_COMPLETION = 2;
#pragma warning restore CS1591

    /// <summary>The invalid buffer id (C's <c>(RIO_BUFFERID)0xFFFFFFFF</c>): here null, what RIORegisterBuffer returns on failure.</summary>
    public static readonly RIO_BUFFERID? RIO_INVALID_BUFFERID = null;
    /// <summary>The invalid completion queue (C's NULL): what RIOCreateCompletionQueue returns on failure.</summary>
    public static readonly RIO_CQ? RIO_INVALID_CQ = null;
    /// <summary>The invalid request queue (C's NULL): what RIOCreateRequestQueue returns on failure.</summary>
    public static readonly RIO_RQ? RIO_INVALID_RQ = null;
}
