using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Winsock2.Interop;

/// <summary>Linux's sockaddr layout (AF_INET6 = 10) next to Windows' (23), for libc calls.</summary>
internal static class LinuxSockAddr
{
    /// <summary>Linux sockaddr bytes (AF_INET6 = 10) for libc calls.</summary>
    public static byte[] ToLinux(IPEndPoint ep)
    {
        var b = SockAddr.From(ep);
        if (ep.AddressFamily == AddressFamily.InterNetworkV6) BinaryPrimitives.WriteUInt16LittleEndian(b, 10);
        return b;
    }

    /// <summary>An endpoint from Linux sockaddr bytes.</summary>
    public static IPEndPoint? FromLinux(ReadOnlySpan<byte> b)
    {
        if (b.Length < 2) return null;
        ushort fam = BinaryPrimitives.ReadUInt16LittleEndian(b);
        ushort port = b.Length >= 4 ? BinaryPrimitives.ReadUInt16BigEndian(b[2..]) : (ushort)0;
        if (fam == 2 && b.Length >= 8) return new IPEndPoint(new IPAddress(b.Slice(4, 4)), port);
        if (fam == 10 && b.Length >= 28) return new IPEndPoint(new IPAddress(b.Slice(8, 16), BinaryPrimitives.ReadUInt32LittleEndian(b[24..])), port);
        return null;
    }
}
