using System.Net;
using static Winsock2.Ws2_32;

namespace Winsock2.Multipoint.Engine;

/// <summary>The Ws2_32 calls the multipoint types share, with errors turned into exceptions at this edge.</summary>
internal static class Calls
{
    public const uint RootFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
    public const uint LeafFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;

    /// <summary>WSAStartup, then WSASocket(af, SOCK_SEQPACKET, 0, NULL, 0, flags): the rooted provider's socket.</summary>
    public static SOCKET Open(IPEndPoint forAddress, uint flags)
    {
        int rc = WSAStartup(0x0202, out _);
        if (rc != 0) throw Failure.Of(rc, "WSAStartup");
        var s = WSASocket(SockAddr.FamilyOf(forAddress.AddressFamily), SOCK_SEQPACKET, 0, null, 0, flags);
        if (s.IsValid) return s;
        int error = WSAGetLastError();
        WSACleanup();
        throw Failure.Of(error, "WSASocket");
    }

    /// <summary>closesocket and WSACleanup: undoes <see cref="Open"/>.</summary>
    public static void Abandon(SOCKET s)
    {
        closesocket(s);
        WSACleanup();
    }

    /// <summary>Throws the thread's last error when <paramref name="rc"/> is SOCKET_ERROR.</summary>
    public static void Check(int rc, string what)
    {
        if (rc == SOCKET_ERROR) throw Failure.Of(WSAGetLastError(), what);
    }

    /// <summary>The SOL_MULTIPOINT timing options: MP_JOIN_TIMEOUT and MP_HEARTBEAT_INTERVAL.</summary>
    public static void SetTimings(SOCKET s, TimeSpan joinTimeout, TimeSpan heartbeat)
    {
        Check(setsockopt(s, SOL_MULTIPOINT, MP_JOIN_TIMEOUT, Milliseconds(joinTimeout, nameof(joinTimeout))), "setsockopt(MP_JOIN_TIMEOUT)");
        Check(setsockopt(s, SOL_MULTIPOINT, MP_HEARTBEAT_INTERVAL, Milliseconds(heartbeat, nameof(heartbeat))), "setsockopt(MP_HEARTBEAT_INTERVAL)");
    }

    private static int Milliseconds(TimeSpan t, string name) =>
        t > TimeSpan.Zero && t.TotalMilliseconds <= int.MaxValue ? (int)Math.Ceiling(t.TotalMilliseconds) : throw new ArgumentOutOfRangeException(name);

    /// <summary>getsockname, or null.</summary>
    public static IPEndPoint? LocalEndPoint(SOCKET s)
    {
        var name = new byte[SockAddr.SizeIn6];
        int len = name.Length;
        return getsockname(s, name, ref len) == 0 && SockAddr.TryParse(name, len, out var ep) == 0 ? ep : null;
    }

    /// <summary>getpeername, or null.</summary>
    public static IPEndPoint? PeerEndPoint(SOCKET s)
    {
        var name = new byte[SockAddr.SizeIn6];
        int len = name.Length;
        return getpeername(s, name, ref len) == 0 && SockAddr.TryParse(name, len, out var ep) == 0 ? ep : null;
    }

    /// <summary>SIO_GET_QOS: the granted flowspecs, or null when there are none (or nothing is specified).</summary>
    public static QOS? GrantedQos(SOCKET s)
    {
        var buffer = new byte[1024];
        if (WSAIoctl(s, SIO_GET_QOS, null, 0, buffer, (uint)buffer.Length, out uint n, null, null) == SOCKET_ERROR) return null;
        var qos = QosBuffer.FromBytes(buffer, (int)n);
        var none = FLOWSPEC.NotSpecified();
        return qos is null || (qos.SendingFlowspec.Equals(none) && qos.ReceivingFlowspec.Equals(none)) ? null : qos;
    }

    /// <summary>The len bytes of a WSABUF (connect data), or empty.</summary>
    public static byte[] Bytes(WSABUF? b) =>
        b?.buf is { } buf && b.len > 0 ? buf.AsSpan(0, (int)Math.Min(b.len, (uint)buf.Length)).ToArray() : [];

    /// <summary>A connect-data WSABUF for <paramref name="data"/>, or null when empty (WSAJoinLeaf's NULL).</summary>
    public static WSABUF? ConnectData(ReadOnlyMemory<byte> data)
    {
        if (data.Length > MP_MAX_CONNECT_DATA) throw new ArgumentException($"Connect data is limited to {MP_MAX_CONNECT_DATA} bytes.", nameof(data));
        return data.IsEmpty ? null : new WSABUF(data.ToArray());
    }

    /// <summary>Copies <paramref name="reply"/> into the condition function's lpCalleeData (cut to its buffer) and sets len.</summary>
    public static byte[] WriteCalleeData(WSABUF? calleeData, ReadOnlyMemory<byte> reply)
    {
        if (calleeData?.buf is not { } buf) return [];
        int n = Math.Min(reply.Length, buf.Length);
        reply.Span[..n].CopyTo(buf);
        calleeData.len = (uint)n;
        return buf.AsSpan(0, n).ToArray();
    }
}
