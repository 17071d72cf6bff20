namespace Winsock2;

/// <summary>The constants of ws2def.h, ws2tcpip.h and winerror.h that the name and address functions use.</summary>
public static partial class Ws2Spi
{
#pragma warning disable CS1591 // The names are the documentation: each is the header's own constant.
    public const int NO_ERROR = 0;
    public const int ERROR_IO_PENDING = 997;
    public const int ERROR_INVALID_PARAMETER = 87;
    public const uint WAIT_IO_COMPLETION = 0xC0;
    public const uint INFINITE = 0xFFFFFFFF;

    public const uint INADDR_ANY = 0x00000000;
    public const uint INADDR_LOOPBACK = 0x7F000001;
    public const uint INADDR_BROADCAST = 0xFFFFFFFF;
    public const uint INADDR_NONE = 0xFFFFFFFF;
    public const int SOMAXCONN = 0x7FFFFFFF;

    public const int INET_ADDRSTRLEN = 22;
    public const int INET6_ADDRSTRLEN = 65;

    public const int AI_PASSIVE = 0x00000001;
    public const int AI_CANONNAME = 0x00000002;
    public const int AI_NUMERICHOST = 0x00000004;
    public const int AI_NUMERICSERV = 0x00000008;
    public const int AI_ALL = 0x00000100;
    public const int AI_ADDRCONFIG = 0x00000400;
    public const int AI_V4MAPPED = 0x00000800;

    public const int NI_NOFQDN = 0x01;
    public const int NI_NUMERICHOST = 0x02;
    public const int NI_NAMEREQD = 0x04;
    public const int NI_NUMERICSERV = 0x08;
    public const int NI_DGRAM = 0x10;
    public const int NI_MAXHOST = 1025;
    public const int NI_MAXSERV = 32;

    public const int EAI_AGAIN = WSATRY_AGAIN;
    public const int EAI_BADFLAGS = WSAEINVAL;
    public const int EAI_FAIL = WSANO_RECOVERY;
    public const int EAI_FAMILY = WSAEAFNOSUPPORT;
    public const int EAI_MEMORY = WSA_NOT_ENOUGH_MEMORY;
    public const int EAI_NOSECURENAME = WSA_SECURE_HOST_NOT_FOUND;
    public const int EAI_NONAME = WSAHOST_NOT_FOUND;
    public const int EAI_SERVICE = WSATYPE_NOT_FOUND;
    public const int EAI_SOCKTYPE = WSAESOCKTNOSUPPORT;
    public const int EAI_IPSECPOLICY = WSA_IPSEC_NAME_POLICY_ERROR;
    public const int EAI_NODATA = EAI_NONAME;

    public const int WSATYPE_NOT_FOUND = 10109;
    public const int WSA_SECURE_HOST_NOT_FOUND = 11032;
    public const int WSA_IPSEC_NAME_POLICY_ERROR = 11033;
#pragma warning restore CS1591
}
