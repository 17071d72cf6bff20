namespace Winsock2;

/// <summary>Socket, protocol, flag and option constants of winsock2.h, ws2def.h, ws2ipdef.h and ws2spi.h.</summary>
public static partial class Ws2Spi
{
#pragma warning disable CS1591 // The names are the documentation: each is the header's own constant.
    public const int SOCKET_ERROR = -1;
    /// <summary>The invalid socket handle (~0).</summary>
    public static readonly SOCKET INVALID_SOCKET = SOCKET.Invalid;
    public const int FROM_PROTOCOL_INFO = -1;

    // Address families (Windows numbering).
    public const int AF_UNSPEC = 0;
    public const int AF_INET = 2;
    public const int AF_INET6 = 23;

    // Socket types.
    public const int SOCK_STREAM = 1;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_RAW = 3;
    public const int SOCK_RDM = 4;
    public const int SOCK_SEQPACKET = 5;

    // Protocols.
    public const int IPPROTO_IP = 0;
    public const int IPPROTO_TCP = 6;
    public const int IPPROTO_UDP = 17;
    public const int IPPROTO_IPV6 = 41;

    // WSASocket flags.
    public const uint WSA_FLAG_OVERLAPPED = 0x01;
    public const uint WSA_FLAG_MULTIPOINT_C_ROOT = 0x02;
    public const uint WSA_FLAG_MULTIPOINT_C_LEAF = 0x04;
    public const uint WSA_FLAG_MULTIPOINT_D_ROOT = 0x08;
    public const uint WSA_FLAG_MULTIPOINT_D_LEAF = 0x10;

    // WSAJoinLeaf flags.
    public const uint JL_SENDER_ONLY = 0x01;
    public const uint JL_RECEIVER_ONLY = 0x02;
    public const uint JL_BOTH = 0x04;

    // XP1_ service flags.
    public const uint XP1_CONNECTIONLESS = 0x1;
    public const uint XP1_GUARANTEED_DELIVERY = 0x2;
    public const uint XP1_GUARANTEED_ORDER = 0x4;
    public const uint XP1_MESSAGE_ORIENTED = 0x8;
    public const uint XP1_PSEUDO_STREAM = 0x10;
    public const uint XP1_GRACEFUL_CLOSE = 0x20;
    public const uint XP1_EXPEDITED_DATA = 0x40;
    public const uint XP1_CONNECT_DATA = 0x80;
    public const uint XP1_DISCONNECT_DATA = 0x100;
    public const uint XP1_SUPPORT_BROADCAST = 0x200;
    public const uint XP1_SUPPORT_MULTIPOINT = 0x400;
    public const uint XP1_MULTIPOINT_CONTROL_PLANE = 0x800;
    public const uint XP1_MULTIPOINT_DATA_PLANE = 0x1000;
    public const uint XP1_QOS_SUPPORTED = 0x2000;
    public const uint XP1_INTERRUPT = 0x4000;
    public const uint XP1_UNI_SEND = 0x8000;
    public const uint XP1_UNI_RECV = 0x10000;
    public const uint XP1_IFS_HANDLES = 0x20000;
    public const uint XP1_PARTIAL_MESSAGE = 0x40000;

    // PFL_ provider flags.
    public const uint PFL_MULTIPLE_PROTO_ENTRIES = 0x1;
    public const uint PFL_RECOMMENDED_PROTO_ENTRY = 0x2;
    public const uint PFL_HIDDEN = 0x4;
    public const uint PFL_MATCHES_PROTOCOL_ZERO = 0x8;

    public const int BIGENDIAN = 0;
    public const int LITTLEENDIAN = 1;
    public const int SECURITY_PROTOCOL_NONE = 0;
    public const int BASE_PROTOCOL = 1;
    public const int LAYERED_PROTOCOL = 0;
    public const int MAX_PROTOCOL_CHAIN = 7;
    public const int WSAPROTOCOL_LEN = 255;

    // Message flags.
    public const int MSG_OOB = 0x1;
    public const int MSG_PEEK = 0x2;
    public const int MSG_DONTROUTE = 0x4;
    public const int MSG_WAITALL = 0x8;
    public const int MSG_PARTIAL = 0x8000;

    // Shutdown.
    public const int SD_RECEIVE = 0;
    public const int SD_SEND = 1;
    public const int SD_BOTH = 2;

    // Condition function results.
    public const int CF_ACCEPT = 0;
    public const int CF_REJECT = 1;
    public const int CF_DEFER = 2;

    // Socket options.
    public const int SOL_SOCKET = 0xFFFF;
    public const int SO_DEBUG = 0x0001;
    public const int SO_ACCEPTCONN = 0x0002;
    public const int SO_REUSEADDR = 0x0004;
    public const int SO_KEEPALIVE = 0x0008;
    public const int SO_DONTROUTE = 0x0010;
    public const int SO_BROADCAST = 0x0020;
    public const int SO_LINGER = 0x0080;
    public const int SO_OOBINLINE = 0x0100;
    public const int SO_DONTLINGER = ~SO_LINGER;
    public const int SO_EXCLUSIVEADDRUSE = ~SO_REUSEADDR;
    public const int SO_SNDBUF = 0x1001;
    public const int SO_RCVBUF = 0x1002;
    public const int SO_SNDLOWAT = 0x1003;
    public const int SO_RCVLOWAT = 0x1004;
    public const int SO_SNDTIMEO = 0x1005;
    public const int SO_RCVTIMEO = 0x1006;
    public const int SO_ERROR = 0x1007;
    public const int SO_TYPE = 0x1008;
    public const int SO_GROUP_ID = 0x2001;
    public const int SO_GROUP_PRIORITY = 0x2002;
    public const int SO_MAX_MSG_SIZE = 0x2003;
    public const int SO_PROTOCOL_INFOA = 0x2004;
    public const int SO_PROTOCOL_INFOW = 0x2005;
    public const int SO_CONDITIONAL_ACCEPT = 0x3002;
    public const int TCP_NODELAY = 0x0001;

    // IP-level multicast options (Winsock 2 numbering, ws2ipdef.h).
    public const int IP_OPTIONS = 1;
    public const int IP_HDRINCL = 2;
    public const int IP_TOS = 3;
    public const int IP_TTL = 4;
    public const int IP_MULTICAST_IF = 9;
    public const int IP_MULTICAST_TTL = 10;
    public const int IP_MULTICAST_LOOP = 11;
    public const int IP_ADD_MEMBERSHIP = 12;
    public const int IP_DROP_MEMBERSHIP = 13;
    public const int IP_ADD_SOURCE_MEMBERSHIP = 15;
    public const int IP_DROP_SOURCE_MEMBERSHIP = 16;
    public const int IPV6_MULTICAST_IF = 9;
    public const int IPV6_MULTICAST_HOPS = 10;
    public const int IPV6_MULTICAST_LOOP = 11;
    public const int IPV6_ADD_MEMBERSHIP = 12;
    public const int IPV6_DROP_MEMBERSHIP = 13;
    public const int IPV6_JOIN_GROUP = IPV6_ADD_MEMBERSHIP;
    public const int IPV6_LEAVE_GROUP = IPV6_DROP_MEMBERSHIP;

    // Ioctls.
    public const uint FIONBIO = 0x8004667E;
    public const uint FIONREAD = 0x4004667F;
    public const uint SIOCATMARK = 0x40047307;
    public const uint SIO_FLUSH = 0x28000004;
    public const uint SIO_MULTIPOINT_LOOPBACK = 0x88000009;
    public const uint SIO_MULTICAST_SCOPE = 0x8800000A;
    public const uint SIO_SET_QOS = 0x8800000B;
    public const uint SIO_SET_GROUP_QOS = 0x8800000C;
    public const uint SIO_GET_QOS = 0xC8000007;
    public const uint SIO_GET_GROUP_QOS = 0xC8000008;
    public const uint SIO_ROUTING_INTERFACE_CHANGE = 0x88000015;
    public const uint SIO_ADDRESS_LIST_CHANGE = 0x28000017;

    // Network events.
    public const int FD_READ_BIT = 0;
    public const int FD_WRITE_BIT = 1;
    public const int FD_OOB_BIT = 2;
    public const int FD_ACCEPT_BIT = 3;
    public const int FD_CONNECT_BIT = 4;
    public const int FD_CLOSE_BIT = 5;
    public const int FD_QOS_BIT = 6;
    public const int FD_GROUP_QOS_BIT = 7;
    public const int FD_ROUTING_INTERFACE_CHANGE_BIT = 8;
    public const int FD_ADDRESS_LIST_CHANGE_BIT = 9;
    public const int FD_MAX_EVENTS = 10;
    public const int FD_READ = 1 << FD_READ_BIT;
    public const int FD_WRITE = 1 << FD_WRITE_BIT;
    public const int FD_OOB = 1 << FD_OOB_BIT;
    public const int FD_ACCEPT = 1 << FD_ACCEPT_BIT;
    public const int FD_CONNECT = 1 << FD_CONNECT_BIT;
    public const int FD_CLOSE = 1 << FD_CLOSE_BIT;
    public const int FD_QOS = 1 << FD_QOS_BIT;
    public const int FD_GROUP_QOS = 1 << FD_GROUP_QOS_BIT;
    public const int FD_ROUTING_INTERFACE_CHANGE = 1 << FD_ROUTING_INTERFACE_CHANGE_BIT;
    public const int FD_ADDRESS_LIST_CHANGE = 1 << FD_ADDRESS_LIST_CHANGE_BIT;
    public const int FD_ALL_EVENTS = (1 << FD_MAX_EVENTS) - 1;
    public const int FD_SETSIZE = 64;

    // Events and waits.
    public const int WSA_MAXIMUM_WAIT_EVENTS = 64;
    public const uint WSA_INFINITE = 0xFFFFFFFF;
    public const uint WSA_WAIT_EVENT_0 = 0;
    public const uint WSA_WAIT_IO_COMPLETION = 0xC0;
    public const uint WSA_WAIT_TIMEOUT = 258;
    public const uint WSA_WAIT_FAILED = 0xFFFFFFFF;
    public const uint WSS_OPERATION_IN_PROGRESS = 0x103;
    /// <summary>The null event handle.</summary>
    public static readonly WSAEVENT WSA_INVALID_EVENT = default;

    // QoS.
    public const uint QOS_NOT_SPECIFIED = 0xFFFFFFFF;
    public const uint POSITIVE_INFINITY_RATE = 0xFFFFFFFE;
    public const uint SERVICETYPE_NOTRAFFIC = 0x0;
    public const uint SERVICETYPE_BESTEFFORT = 0x1;
    public const uint SERVICETYPE_CONTROLLEDLOAD = 0x2;
    public const uint SERVICETYPE_GUARANTEED = 0x3;
    public const uint SERVICETYPE_NETWORK_UNAVAILABLE = 0x4;
    public const uint SERVICETYPE_GENERAL_INFORMATION = 0x5;
    public const uint SERVICETYPE_NOCHANGE = 0x6;
    public const uint SERVICETYPE_NONCONFORMING = 0x9;
    public const uint SERVICETYPE_NETWORK_CONTROL = 0xA;
    public const uint SERVICETYPE_QUALITATIVE = 0xD;

    public const ushort INADDR_ANY_PORT = 0;
    public const int WSADESCRIPTION_LEN = 256;
    public const int WSASYS_STATUS_LEN = 128;
#pragma warning restore CS1591
}
