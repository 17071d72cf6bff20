namespace Winsock2.Interop;

/// <summary>Linux errno values mapped to the Winsock error codes Windows reports for the same condition.</summary>
internal static class Errno
{
    public const int EINTR = 4, EAGAIN = 11, EINPROGRESS = 115, EALREADY = 114, EISCONN = 106, ECONNREFUSED = 111;

    public static int ToWinsock(int errno, bool datagram = false) => errno switch
    {
        0 => 0,
        1 or 13 => Ws2Spi.WSAEACCES,              // EPERM, EACCES
        4 => Ws2Spi.WSAEINTR,
        9 or 88 => Ws2Spi.WSAENOTSOCK,            // EBADF, ENOTSOCK
        11 => Ws2Spi.WSAEWOULDBLOCK,              // EAGAIN
        12 or 105 => Ws2Spi.WSAENOBUFS,           // ENOMEM, ENOBUFS
        14 => Ws2Spi.WSAEFAULT,
        22 => Ws2Spi.WSAEINVAL,
        24 or 23 => Ws2Spi.WSAEMFILE,
        32 => Ws2Spi.WSAESHUTDOWN,                // EPIPE: the send side is shut
        89 => Ws2Spi.WSAEDESTADDRREQ,
        90 => Ws2Spi.WSAEMSGSIZE,
        91 => Ws2Spi.WSAEPROTOTYPE,
        92 => Ws2Spi.WSAENOPROTOOPT,
        93 => Ws2Spi.WSAEPROTONOSUPPORT,
        94 => Ws2Spi.WSAESOCKTNOSUPPORT,
        95 => Ws2Spi.WSAEOPNOTSUPP,
        96 => Ws2Spi.WSAEPFNOSUPPORT,
        97 => Ws2Spi.WSAEAFNOSUPPORT,
        98 => Ws2Spi.WSAEADDRINUSE,
        99 => Ws2Spi.WSAEADDRNOTAVAIL,
        100 => Ws2Spi.WSAENETDOWN,
        101 => Ws2Spi.WSAENETUNREACH,
        102 => Ws2Spi.WSAENETRESET,
        103 => Ws2Spi.WSAECONNABORTED,
        104 => Ws2Spi.WSAECONNRESET,
        106 => Ws2Spi.WSAEISCONN,
        107 => Ws2Spi.WSAENOTCONN,
        108 => Ws2Spi.WSAESHUTDOWN,
        110 => Ws2Spi.WSAETIMEDOUT,
        111 => datagram ? Ws2Spi.WSAECONNRESET : Ws2Spi.WSAECONNREFUSED, // Windows reports ICMP port unreachable on UDP as a reset
        112 => Ws2Spi.WSAEHOSTDOWN,
        113 => Ws2Spi.WSAEHOSTUNREACH,
        114 => Ws2Spi.WSAEALREADY,
        115 => Ws2Spi.WSAEINPROGRESS,
        _ => Ws2Spi.WSASYSCALLFAILURE,
    };
}
