namespace Winsock2;

/// <summary>The winbase.h, winnt.h and winerror.h constants the I/O completion port functions use.</summary>
public static partial class Ws2Spi
{
#pragma warning disable CS1591 // The names are the documentation: each is the header's own constant.
    public static readonly HANDLE INVALID_HANDLE_VALUE = new(-1);

    public const uint WAIT_TIMEOUT = 258;

    public const int ERROR_INVALID_HANDLE = 6;
    public const int ERROR_NETNAME_DELETED = 64;
    public const int ERROR_SEM_TIMEOUT = 121;
    public const int ERROR_MORE_DATA = 234;
    public const int ERROR_ABANDONED_WAIT_0 = 735;
    public const int ERROR_OPERATION_ABORTED = 995;
    public const int ERROR_CONNECTION_REFUSED = 1225;
    public const int ERROR_GRACEFUL_DISCONNECT = 1226;
    public const int ERROR_CONNECTION_ABORTED = 1236;

    public const byte FILE_SKIP_COMPLETION_PORT_ON_SUCCESS = 0x1;
    public const byte FILE_SKIP_SET_EVENT_ON_HANDLE = 0x2;

    /// <summary>mswsock.h: the handle of the base provider's socket beneath any layered providers (output: a SOCKET).</summary>
    public const uint SIO_BASE_HANDLE = 0x48000022;
#pragma warning restore CS1591
}
