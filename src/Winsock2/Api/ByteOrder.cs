using System.Buffers.Binary;
using Winsock2.Runtime;

namespace Winsock2;

/// <summary>Host and network byte order: htons, htonl, htonll and their inverses, and the WSA forms that take a socket.</summary>
public static partial class Ws2_32
{
    private static ushort ToNetwork(ushort v) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;
    private static uint ToNetwork(uint v) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;
    private static ulong ToNetwork(ulong v) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;

    /// <summary>A 16-bit value from host to network (big-endian) order.</summary>
    public static ushort htons(ushort hostshort) => ToNetwork(hostshort);

    /// <summary>A 32-bit value from host to network order.</summary>
    public static uint htonl(uint hostlong) => ToNetwork(hostlong);

    /// <summary>A 64-bit value from host to network order.</summary>
    public static ulong htonll(ulong Value) => ToNetwork(Value);

    /// <summary>A 16-bit value from network to host order.</summary>
    public static ushort ntohs(ushort netshort) => ToNetwork(netshort);

    /// <summary>A 32-bit value from network to host order.</summary>
    public static uint ntohl(uint netlong) => ToNetwork(netlong);

    /// <summary>A 64-bit value from network to host order.</summary>
    public static ulong ntohll(ulong Value) => ToNetwork(Value);

    /// <summary>htons for the byte order of the socket's provider (network order here): 0, or SOCKET_ERROR with WSANOTINITIALISED / WSAENOTSOCK.</summary>
    public static int WSAHtons(SOCKET s, ushort hostshort, out ushort lpnetshort) => ForSocket(s, htons(hostshort), out lpnetshort);

    /// <summary>htonl for the byte order of the socket's provider: 0, or SOCKET_ERROR with WSANOTINITIALISED / WSAENOTSOCK.</summary>
    public static int WSAHtonl(SOCKET s, uint hostlong, out uint lpnetlong) => ForSocket(s, htonl(hostlong), out lpnetlong);

    /// <summary>ntohs for the byte order of the socket's provider: 0, or SOCKET_ERROR with WSANOTINITIALISED / WSAENOTSOCK.</summary>
    public static int WSANtohs(SOCKET s, ushort netshort, out ushort lphostshort) => ForSocket(s, ntohs(netshort), out lphostshort);

    /// <summary>ntohl for the byte order of the socket's provider: 0, or SOCKET_ERROR with WSANOTINITIALISED / WSAENOTSOCK.</summary>
    public static int WSANtohl(SOCKET s, uint netlong, out uint lphostlong) => ForSocket(s, ntohl(netlong), out lphostlong);

    /// <summary>The converted value for a live socket: 0, or SOCKET_ERROR (and 0 out) with the last error set.</summary>
    private static int ForSocket<T>(SOCKET s, T value, out T result) where T : struct
    {
        bool known = KnownSocket(s);
        result = known ? value : default;
        return known ? 0 : SOCKET_ERROR;
    }

    /// <summary>Started and a live handle (every provider here is BIGENDIAN on the wire); else the last error is set.</summary>
    private static bool KnownSocket(SOCKET s) =>
        Dispatch.Started() && (ApiInstance.Sockets.TryGet(s.Value, out _) || Dispatch.SetError(WSAENOTSOCK));
}
