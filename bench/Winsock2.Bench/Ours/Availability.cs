using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>
/// Probes whether our side of a suite exists on this build, by asking the API for the socket it would use, so the
/// report shows "not yet available" (with the error) instead of a made-up number.
/// </summary>
public static class Availability
{
    /// <summary>The rooted multipoint provider: null when a c_root/d_root SOCK_SEQPACKET socket can be created.</summary>
    public static string? RootedProvider() => Probe(AF_INET, SOCK_SEQPACKET, 0,
        WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT | WSA_FLAG_OVERLAPPED,
        "WSASocket(AF_INET, SOCK_SEQPACKET, 0, …, C_ROOT|D_ROOT|OVERLAPPED)");

    /// <summary>
    /// Nonrooted multicast on UDP: null when WSAJoinLeaf on a c_leaf/d_leaf UDP socket is implemented. The probe joins
    /// no group (that could reach a real interface): it asks for 127.0.0.1, which is not a group address, and
    /// treats anything but WSAEOPNOTSUPP as "implemented".
    /// </summary>
    public static string? MulticastLeaf()
    {
        const string call = "WSAJoinLeaf on a UDP socket (C_LEAF|D_LEAF)";
        var s = WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF | WSA_FLAG_OVERLAPPED);
        if (!s.IsValid) return $"WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, …, C_LEAF|D_LEAF) fails with {WSAGetLastError()} on this build.";
        try
        {
            var notAGroup = SockAddr.From("127.0.0.1", 9);
            var r = WSAJoinLeaf(s, notAGroup, notAGroup.Length, null, null, null, null, JL_BOTH);
            if (r.IsValid) return null;
            int e = WSAGetLastError();
            return e == WSAEOPNOTSUPP ? $"{call} fails with {e} (WSAEOPNOTSUPP) on this build." : null;
        }
        finally { closesocket(s); }
    }

    /// <summary>
    /// Registered I/O on the rooted provider: null when a c_leaf/d_leaf SOCK_SEQPACKET socket created with
    /// WSA_FLAG_REGISTERED_IO answers WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO) with a
    /// full function table.
    /// </summary>
    public static string? RegisteredIo()
    {
        var s = WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, Rooted.LeafFlags | WSA_FLAG_REGISTERED_IO);
        if (!s.IsValid) return $"WSASocket(AF_INET, SOCK_SEQPACKET, 0, …, C_LEAF|D_LEAF|OVERLAPPED|REGISTERED_IO) fails with {WSAGetLastError()} on this build.";
        try { return Rio.Table(s, out var why) is null ? $"{why} on a rooted socket on this build." : null; }
        finally { closesocket(s); }
    }

    private static string? Probe(int af, int type, int protocol, uint flags, string call)
    {
        var s = WSASocket(af, type, protocol, null, 0, flags);
        if (!s.IsValid) return $"{call} fails with {WSAGetLastError()} on this build.";
        closesocket(s);
        return null;
    }
}
