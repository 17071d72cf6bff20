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

    /// <summary>Nonrooted multicast on UDP: null when a c_leaf/d_leaf UDP socket can be created.</summary>
    public static string? MulticastLeaf() => Probe(AF_INET, SOCK_DGRAM, IPPROTO_UDP,
        WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF | WSA_FLAG_OVERLAPPED,
        "WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, …, C_LEAF|D_LEAF|OVERLAPPED)");

    private static string? Probe(int af, int type, int protocol, uint flags, string call)
    {
        var s = WSASocket(af, type, protocol, null, 0, flags);
        if (!s.IsValid) return $"{call} fails with {WSAGetLastError()} on this build.";
        closesocket(s);
        return null;
    }
}
