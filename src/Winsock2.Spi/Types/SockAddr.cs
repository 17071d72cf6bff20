using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Winsock2;

/// <summary>
/// Socket addresses in Windows <c>sockaddr</c> layout: AF_INET (2) = 16 bytes, AF_INET6 (23) = 28 bytes,
/// family little-endian, port big-endian. Converts to and from <see cref="IPEndPoint"/>.
/// </summary>
public static partial class SockAddr
{
    /// <summary>sizeof(SOCKADDR_IN).</summary>
    public const int SizeIn = 16;
    /// <summary>sizeof(SOCKADDR_IN6).</summary>
    public const int SizeIn6 = 28;

    /// <summary>The Windows sockaddr bytes for an endpoint.</summary>
    public static byte[] From(IPEndPoint ep)
    {
        ArgumentNullException.ThrowIfNull(ep);
        if (ep.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = new byte[SizeIn];
            BinaryPrimitives.WriteUInt16LittleEndian(b, Ws2Spi.AF_INET);
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), (ushort)ep.Port);
            ep.Address.TryWriteBytes(b.AsSpan(4, 4), out _);
            return b;
        }
        var v6 = new byte[SizeIn6];
        BinaryPrimitives.WriteUInt16LittleEndian(v6, Ws2Spi.AF_INET6);
        BinaryPrimitives.WriteUInt16BigEndian(v6.AsSpan(2), (ushort)ep.Port);
        ep.Address.TryWriteBytes(v6.AsSpan(8, 16), out _);
        BinaryPrimitives.WriteUInt32LittleEndian(v6.AsSpan(24), (uint)ep.Address.ScopeId);
        return v6;
    }

    /// <summary>The Windows sockaddr bytes for an address and port.</summary>
    public static byte[] From(string address, int port) => From(new IPEndPoint(IPAddress.Parse(address), port));

    /// <summary>The family of a sockaddr (0 if too short).</summary>
    public static int Family(ReadOnlySpan<byte> name) => name.Length < 2 ? 0 : BinaryPrimitives.ReadUInt16LittleEndian(name);

    /// <summary>Parses a sockaddr; WSAEFAULT if too short for its family, WSAEAFNOSUPPORT for other families.</summary>
    public static int TryParse(byte[]? name, int namelen, out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (name is null || namelen < 2 || namelen > name.Length) return Ws2Spi.WSAEFAULT;
        int family = Family(name);
        if (family == Ws2Spi.AF_INET)
        {
            if (namelen < SizeIn) return Ws2Spi.WSAEFAULT;
            endPoint = new IPEndPoint(new IPAddress(name.AsSpan(4, 4)), BinaryPrimitives.ReadUInt16BigEndian(name.AsSpan(2)));
            return 0;
        }
        if (family == Ws2Spi.AF_INET6)
        {
            if (namelen < SizeIn6) return Ws2Spi.WSAEFAULT;
            long scope = BinaryPrimitives.ReadUInt32LittleEndian(name.AsSpan(24));
            endPoint = new IPEndPoint(new IPAddress(name.AsSpan(8, 16), scope), BinaryPrimitives.ReadUInt16BigEndian(name.AsSpan(2)));
            return 0;
        }
        return Ws2Spi.WSAEAFNOSUPPORT;
    }

    /// <summary>Parses a sockaddr, throwing on bad input (for code outside the Winsock-shaped surface).</summary>
    public static IPEndPoint ToEndPoint(byte[] name)
    {
        int rc = TryParse(name, name?.Length ?? 0, out var ep);
        if (rc != 0) throw new SocketException(rc);
        return ep!;
    }

    /// <summary>Size of a sockaddr for a Windows address family.</summary>
    public static int SizeOf(int af) => af == Ws2Spi.AF_INET6 ? SizeIn6 : SizeIn;

    /// <summary>Windows family number for a .NET address family.</summary>
    public static int FamilyOf(AddressFamily af) => af == AddressFamily.InterNetworkV6 ? Ws2Spi.AF_INET6 : Ws2Spi.AF_INET;

    /// <summary>Writes an endpoint into a caller's buffer; WSAEFAULT if the buffer is too small (namelen gets the size needed).</summary>
    public static int Write(IPEndPoint ep, byte[]? name, ref int namelen)
    {
        var bytes = From(ep);
        if (name is null || namelen < bytes.Length || name.Length < bytes.Length)
        {
            namelen = bytes.Length;
            return Ws2Spi.WSAEFAULT;
        }
        bytes.CopyTo(name, 0);
        namelen = bytes.Length;
        return 0;
    }
}
