namespace Winsock2;

/// <summary>Error codes of winsock2.h and the Win32 codes Winsock reuses.</summary>
public static partial class Ws2Spi
{
#pragma warning disable CS1591 // The names are the documentation: each is winsock2.h's own constant.
    public const int WSABASEERR = 10000;
    public const int WSAEINTR = 10004;
    public const int WSAEBADF = 10009;
    public const int WSAEACCES = 10013;
    public const int WSAEFAULT = 10014;
    public const int WSAEINVAL = 10022;
    public const int WSAEMFILE = 10024;
    public const int WSAEWOULDBLOCK = 10035;
    public const int WSAEINPROGRESS = 10036;
    public const int WSAEALREADY = 10037;
    public const int WSAENOTSOCK = 10038;
    public const int WSAEDESTADDRREQ = 10039;
    public const int WSAEMSGSIZE = 10040;
    public const int WSAEPROTOTYPE = 10041;
    public const int WSAENOPROTOOPT = 10042;
    public const int WSAEPROTONOSUPPORT = 10043;
    public const int WSAESOCKTNOSUPPORT = 10044;
    public const int WSAEOPNOTSUPP = 10045;
    public const int WSAEPFNOSUPPORT = 10046;
    public const int WSAEAFNOSUPPORT = 10047;
    public const int WSAEADDRINUSE = 10048;
    public const int WSAEADDRNOTAVAIL = 10049;
    public const int WSAENETDOWN = 10050;
    public const int WSAENETUNREACH = 10051;
    public const int WSAENETRESET = 10052;
    public const int WSAECONNABORTED = 10053;
    public const int WSAECONNRESET = 10054;
    public const int WSAENOBUFS = 10055;
    public const int WSAEISCONN = 10056;
    public const int WSAENOTCONN = 10057;
    public const int WSAESHUTDOWN = 10058;
    public const int WSAETOOMANYREFS = 10059;
    public const int WSAETIMEDOUT = 10060;
    public const int WSAECONNREFUSED = 10061;
    public const int WSAEHOSTDOWN = 10064;
    public const int WSAEHOSTUNREACH = 10065;
    public const int WSAEPROCLIM = 10067;
    public const int WSASYSNOTREADY = 10091;
    public const int WSAVERNOTSUPPORTED = 10092;
    public const int WSANOTINITIALISED = 10093;
    public const int WSAEDISCON = 10101;
    public const int WSAENOMORE = 10102;
    public const int WSAECANCELLED = 10103;
    public const int WSAEINVALIDPROCTABLE = 10104;
    public const int WSAEINVALIDPROVIDER = 10105;
    public const int WSAEPROVIDERFAILEDINIT = 10106;
    public const int WSASYSCALLFAILURE = 10107;
    public const int WSAHOST_NOT_FOUND = 11001;
    public const int WSATRY_AGAIN = 11002;
    public const int WSANO_RECOVERY = 11003;
    public const int WSANO_DATA = 11004;
    public const int WSA_QOS_ADMISSION_FAILURE = 11010;
    public const int WSA_QOS_EFLOWSPEC = 11017;

    public const int WSA_INVALID_HANDLE = 6;
    public const int WSA_NOT_ENOUGH_MEMORY = 8;
    public const int WSA_INVALID_PARAMETER = 87;
    public const int WSA_OPERATION_ABORTED = 995;
    public const int WSA_IO_INCOMPLETE = 996;
    public const int WSA_IO_PENDING = 997;
#pragma warning restore CS1591
}
