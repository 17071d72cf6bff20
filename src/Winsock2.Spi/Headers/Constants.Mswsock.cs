namespace Winsock2;

/// <summary>
/// The constants of mswsock.h (the extension functions and their options), WSAPoll's (winsock2.h) and the
/// packet-information options of ws2ipdef.h.
/// </summary>
public static partial class Ws2Spi
{
#pragma warning disable CS1591 // The names are the documentation: each is the header's own constant.
    /// <summary>WSAIoctl code: in, the 16-byte GUID of an extension function; out, the function pointer (8 bytes).</summary>
    public const uint SIO_GET_EXTENSION_FUNCTION_POINTER = 0xC8000006;

    public const int SO_CONNDATA = 0x7000;
    public const int SO_UPDATE_ACCEPT_CONTEXT = 0x700B;
    public const int SO_CONNECT_TIME = 0x700C;
    public const int SO_UPDATE_CONNECT_CONTEXT = 0x7010;

    // TransmitFile / DisconnectEx flags.
    public const uint TF_DISCONNECT = 0x01;
    public const uint TF_REUSE_SOCKET = 0x02;
    public const uint TF_WRITE_BEHIND = 0x04;
    public const uint TF_USE_DEFAULT_WORKER = 0x00;
    public const uint TF_USE_SYSTEM_THREAD = 0x10;
    public const uint TF_USE_KERNEL_APC = 0x20;

    // WSAPoll.
    public const short POLLRDNORM = 0x0100;
    public const short POLLRDBAND = 0x0200;
    public const short POLLIN = POLLRDNORM | POLLRDBAND;
    public const short POLLPRI = 0x0400;
    public const short POLLWRNORM = 0x0010;
    public const short POLLOUT = POLLWRNORM;
    public const short POLLWRBAND = 0x0020;
    public const short POLLERR = 0x0001;
    public const short POLLHUP = 0x0002;
    public const short POLLNVAL = 0x0004;

    // Message flags WSARecvMsg reports.
    public const int MSG_TRUNC = 0x0100;
    public const int MSG_CTRUNC = 0x0200;
    public const int MSG_BCAST = 0x0400;
    public const int MSG_MCAST = 0x0800;

    // Packet information (ws2ipdef.h): IPPROTO_IP / IPPROTO_IPV6 level option and control-message type.
    public const int IP_PKTINFO = 19;
    public const int IPV6_PKTINFO = 19;
#pragma warning restore CS1591

    /// <summary>TransmitFile {B5367DF0-CBAC-11CF-95CA-00805F48A192}.</summary>
    public static readonly Guid WSAID_TRANSMITFILE = new(0xb5367df0, 0xcbac, 0x11cf, 0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92);
    /// <summary>AcceptEx {B5367DF1-CBAC-11CF-95CA-00805F48A192}.</summary>
    public static readonly Guid WSAID_ACCEPTEX = new(0xb5367df1, 0xcbac, 0x11cf, 0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92);
    /// <summary>GetAcceptExSockaddrs {B5367DF2-CBAC-11CF-95CA-00805F48A192}.</summary>
    public static readonly Guid WSAID_GETACCEPTEXSOCKADDRS = new(0xb5367df2, 0xcbac, 0x11cf, 0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92);
    /// <summary>TransmitPackets {D9689DA0-1F90-11D3-9971-00C04F68C876} (not offered here: WSAEINVAL).</summary>
    public static readonly Guid WSAID_TRANSMITPACKETS = new(0xd9689da0, 0x1f90, 0x11d3, 0x99, 0x71, 0x00, 0xc0, 0x4f, 0x68, 0xc8, 0x76);
    /// <summary>ConnectEx {25A207B9-DDF3-4660-8EE9-76E58C74063E}.</summary>
    public static readonly Guid WSAID_CONNECTEX = new(0x25a207b9, 0xddf3, 0x4660, 0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e);
    /// <summary>DisconnectEx {7FDA2E11-8630-436F-A031-F536A6EEC157}.</summary>
    public static readonly Guid WSAID_DISCONNECTEX = new(0x7fda2e11, 0x8630, 0x436f, 0xa0, 0x31, 0xf5, 0x36, 0xa6, 0xee, 0xc1, 0x57);
    /// <summary>WSARecvMsg {F689D7C8-6F1F-436B-8A53-E54FE351C322}.</summary>
    public static readonly Guid WSAID_WSARECVMSG = new(0xf689d7c8, 0x6f1f, 0x436b, 0x8a, 0x53, 0xe5, 0x4f, 0xe3, 0x51, 0xc3, 0x22);
    /// <summary>WSASendMsg {A441E712-754F-43CA-84A7-0DEE44CF606D}.</summary>
    public static readonly Guid WSAID_WSASENDMSG = new(0xa441e712, 0x754f, 0x43ca, 0x84, 0xa7, 0x0d, 0xee, 0x44, 0xcf, 0x60, 0x6d);
}

public static partial class Ws2Spi
{
    /// <summary>
    /// Winsock2 for .NET extension (a vendor ioctl, IOC_INOUT | IOC_VENDOR | 0x102), what WSAPoll asks each socket's
    /// provider, as Windows' WSAPoll asks AFD: in, the 2-byte WSAPOLLFD events; out, the 2-byte revents that hold now
    /// (POLLRDNORM, POLLRDBAND, POLLWRNORM, POLLERR, POLLHUP; never waits). A layered provider forwards it.
    /// </summary>
    public const uint SIO_POLL_EVENTS = 0xD8000102;
}
