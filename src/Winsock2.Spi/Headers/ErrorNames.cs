using System.Collections.Frozen;

namespace Winsock2;

/// <summary>The names of the error codes the headers define: one table, for the API layer and every provider.</summary>
public static partial class Ws2Spi
{
    private static readonly FrozenDictionary<int, string> ErrorNameTable = new Dictionary<int, string>
    {
        [0] = "NO_ERROR",
        [WSAEINTR] = nameof(WSAEINTR),
        [WSAEBADF] = nameof(WSAEBADF),
        [WSAEACCES] = nameof(WSAEACCES),
        [WSAEFAULT] = nameof(WSAEFAULT),
        [WSAEINVAL] = nameof(WSAEINVAL),
        [WSAEMFILE] = nameof(WSAEMFILE),
        [WSAEWOULDBLOCK] = nameof(WSAEWOULDBLOCK),
        [WSAEINPROGRESS] = nameof(WSAEINPROGRESS),
        [WSAEALREADY] = nameof(WSAEALREADY),
        [WSAENOTSOCK] = nameof(WSAENOTSOCK),
        [WSAEDESTADDRREQ] = nameof(WSAEDESTADDRREQ),
        [WSAEMSGSIZE] = nameof(WSAEMSGSIZE),
        [WSAEPROTOTYPE] = nameof(WSAEPROTOTYPE),
        [WSAENOPROTOOPT] = nameof(WSAENOPROTOOPT),
        [WSAEPROTONOSUPPORT] = nameof(WSAEPROTONOSUPPORT),
        [WSAESOCKTNOSUPPORT] = nameof(WSAESOCKTNOSUPPORT),
        [WSAEOPNOTSUPP] = nameof(WSAEOPNOTSUPP),
        [WSAEPFNOSUPPORT] = nameof(WSAEPFNOSUPPORT),
        [WSAEAFNOSUPPORT] = nameof(WSAEAFNOSUPPORT),
        [WSAEADDRINUSE] = nameof(WSAEADDRINUSE),
        [WSAEADDRNOTAVAIL] = nameof(WSAEADDRNOTAVAIL),
        [WSAENETDOWN] = nameof(WSAENETDOWN),
        [WSAENETUNREACH] = nameof(WSAENETUNREACH),
        [WSAENETRESET] = nameof(WSAENETRESET),
        [WSAECONNABORTED] = nameof(WSAECONNABORTED),
        [WSAECONNRESET] = nameof(WSAECONNRESET),
        [WSAENOBUFS] = nameof(WSAENOBUFS),
        [WSAEISCONN] = nameof(WSAEISCONN),
        [WSAENOTCONN] = nameof(WSAENOTCONN),
        [WSAESHUTDOWN] = nameof(WSAESHUTDOWN),
        [WSAETOOMANYREFS] = nameof(WSAETOOMANYREFS),
        [WSAETIMEDOUT] = nameof(WSAETIMEDOUT),
        [WSAECONNREFUSED] = nameof(WSAECONNREFUSED),
        [WSAEHOSTDOWN] = nameof(WSAEHOSTDOWN),
        [WSAEHOSTUNREACH] = nameof(WSAEHOSTUNREACH),
        [WSAEPROCLIM] = nameof(WSAEPROCLIM),
        [WSASYSNOTREADY] = nameof(WSASYSNOTREADY),
        [WSAVERNOTSUPPORTED] = nameof(WSAVERNOTSUPPORTED),
        [WSANOTINITIALISED] = nameof(WSANOTINITIALISED),
        [WSAEDISCON] = nameof(WSAEDISCON),
        [WSAENOMORE] = nameof(WSAENOMORE),
        [WSAECANCELLED] = nameof(WSAECANCELLED),
        [WSAEINVALIDPROCTABLE] = nameof(WSAEINVALIDPROCTABLE),
        [WSAEINVALIDPROVIDER] = nameof(WSAEINVALIDPROVIDER),
        [WSAEPROVIDERFAILEDINIT] = nameof(WSAEPROVIDERFAILEDINIT),
        [WSASYSCALLFAILURE] = nameof(WSASYSCALLFAILURE),
        [WSAHOST_NOT_FOUND] = nameof(WSAHOST_NOT_FOUND),
        [WSATRY_AGAIN] = nameof(WSATRY_AGAIN),
        [WSANO_RECOVERY] = nameof(WSANO_RECOVERY),
        [WSANO_DATA] = nameof(WSANO_DATA),
        [WSA_QOS_ADMISSION_FAILURE] = nameof(WSA_QOS_ADMISSION_FAILURE),
        [WSA_QOS_EFLOWSPEC] = nameof(WSA_QOS_EFLOWSPEC),
        [WSA_INVALID_HANDLE] = nameof(WSA_INVALID_HANDLE),
        [WSA_NOT_ENOUGH_MEMORY] = nameof(WSA_NOT_ENOUGH_MEMORY),
        [WSA_INVALID_PARAMETER] = nameof(WSA_INVALID_PARAMETER),
        [WSA_OPERATION_ABORTED] = nameof(WSA_OPERATION_ABORTED),
        [WSA_IO_INCOMPLETE] = nameof(WSA_IO_INCOMPLETE),
        [WSA_IO_PENDING] = nameof(WSA_IO_PENDING),
    }.ToFrozenDictionary();

    /// <summary>The header name of an error code ("WSAECONNREFUSED" for 10061, "NO_ERROR" for 0), or null when it has none.</summary>
    /// <param name="error">A Winsock error code.</param>
    /// <returns>The constant's name, or null.</returns>
    public static string? ErrorNameOf(int error) => ErrorNameTable.TryGetValue(error, out var name) ? name : null;
}
