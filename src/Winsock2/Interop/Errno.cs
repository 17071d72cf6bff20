namespace Winsock2.Interop;

/// <summary>Linux errno values mapped to the Winsock error codes Windows reports for the same condition.</summary>
internal static class Errno
{
    public const int EINTR = 4, EAGAIN = 11, EINPROGRESS = 115, EALREADY = 114, EISCONN = 106, ECONNREFUSED = 111;

    public static int ToWinsock(int errno, bool datagram = false) => errno switch
    {
        0 => 0,
        1 or 13 => Ws2_32.WSAEACCES,              // EPERM, EACCES
        4 => Ws2_32.WSAEINTR,
        9 or 88 => Ws2_32.WSAENOTSOCK,            // EBADF, ENOTSOCK
        11 => Ws2_32.WSAEWOULDBLOCK,              // EAGAIN
        12 or 105 => Ws2_32.WSAENOBUFS,           // ENOMEM, ENOBUFS
        14 => Ws2_32.WSAEFAULT,
        22 => Ws2_32.WSAEINVAL,
        24 or 23 => Ws2_32.WSAEMFILE,
        32 => Ws2_32.WSAESHUTDOWN,                // EPIPE: the send side is shut
        89 => Ws2_32.WSAEDESTADDRREQ,
        90 => Ws2_32.WSAEMSGSIZE,
        91 => Ws2_32.WSAEPROTOTYPE,
        92 => Ws2_32.WSAENOPROTOOPT,
        93 => Ws2_32.WSAEPROTONOSUPPORT,
        94 => Ws2_32.WSAESOCKTNOSUPPORT,
        95 => Ws2_32.WSAEOPNOTSUPP,
        96 => Ws2_32.WSAEPFNOSUPPORT,
        97 => Ws2_32.WSAEAFNOSUPPORT,
        98 => Ws2_32.WSAEADDRINUSE,
        99 => Ws2_32.WSAEADDRNOTAVAIL,
        100 => Ws2_32.WSAENETDOWN,
        101 => Ws2_32.WSAENETUNREACH,
        102 => Ws2_32.WSAENETRESET,
        103 => Ws2_32.WSAECONNABORTED,
        104 => Ws2_32.WSAECONNRESET,
        106 => Ws2_32.WSAEISCONN,
        107 => Ws2_32.WSAENOTCONN,
        108 => Ws2_32.WSAESHUTDOWN,
        110 => Ws2_32.WSAETIMEDOUT,
        111 => datagram ? Ws2_32.WSAECONNRESET : Ws2_32.WSAECONNREFUSED, // Windows reports ICMP port unreachable on UDP as a reset
        112 => Ws2_32.WSAEHOSTDOWN,
        113 => Ws2_32.WSAEHOSTUNREACH,
        114 => Ws2_32.WSAEALREADY,
        115 => Ws2_32.WSAEINPROGRESS,
        _ => Ws2_32.WSASYSCALLFAILURE,
    };
}
