using System.Net;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>Small helpers for our rooted-provider subjects: sockets, loopback binds, errors as exceptions.</summary>
public static class Rooted
{
    public const uint RootFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT;
    public const uint LeafFlags = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;

    public static SOCKET Root() => Valid(WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, RootFlags), "WSASocket(root)");

    public static SOCKET Leaf() => Valid(WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, LeafFlags), "WSASocket(leaf)");

    /// <summary>Binds to 127.0.0.1:0, listens, and returns the bound address.</summary>
    public static byte[] ListenOnLoopback(SOCKET s, int backlog)
    {
        var any = SockAddr.From(new IPEndPoint(IPAddress.Loopback, 0));
        Ok(bind(s, any, any.Length), "bind");
        Ok(listen(s, backlog), "listen");
        var name = new byte[SockAddr.SizeIn6];
        int len = name.Length;
        Ok(getsockname(s, name, ref len), "getsockname");
        return SockAddr.From(SockAddr.ToEndPoint(name));
    }

    public static SOCKET Valid(SOCKET s, string call) => s.IsValid ? s : throw Failed(call);

    public static void Ok(int rc, string call)
    {
        if (rc == SOCKET_ERROR) throw Failed(call);
    }

    public static InvalidOperationException Failed(string call) => new($"{call} failed with {WSAGetLastError()}");

    public static void Close(IEnumerable<SOCKET> sockets)
    {
        foreach (var s in sockets) if (s.IsValid) closesocket(s);
    }
}
