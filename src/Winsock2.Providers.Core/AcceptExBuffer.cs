using System.Buffers.Binary;
using System.Net;

namespace Winsock2.Providers.Core;

/// <summary>
/// The output buffer of AcceptEx: the first data (dwReceiveDataLength bytes), then a block of dwLocalAddressLength bytes
/// for the local address and one of dwRemoteAddressLength bytes for the remote address. Each block holds the sockaddr's
/// length (4 bytes, little-endian) and the sockaddr (Windows layout); which is why a block needs at least 16 bytes more
/// than the family's sockaddr, as the AcceptEx documentation requires. GetAcceptExSockaddrs reads the blocks back.
/// </summary>
internal static class AcceptExBuffer
{
    /// <summary>The least address block size for family <paramref name="af"/>: its sockaddr plus 16.</summary>
    public static int BlockSize(int af) => SockAddr.SizeOf(af) + 16;

    /// <summary>
    /// AcceptEx's buffer checks: WSAEFAULT without a buffer, for an address block shorter than the family's sockaddr
    /// plus 16, or when the three parts do not fit in the buffer. 0 when they hold.
    /// </summary>
    public static int Check(int af, byte[]? buffer, uint receiveLength, uint localLength, uint remoteLength)
    {
        if (buffer is null) return Ws2Spi.WSAEFAULT;
        if (localLength < BlockSize(af) || remoteLength < BlockSize(af)) return Ws2Spi.WSAEFAULT;
        if ((ulong)receiveLength + localLength + remoteLength > (ulong)buffer.Length) return Ws2Spi.WSAEFAULT;
        return 0;
    }

    /// <summary>Writes both addresses into their blocks (after the first-data part).</summary>
    public static void Write(byte[] buffer, uint receiveLength, uint localLength, IPEndPoint? local, IPEndPoint? remote)
    {
        WriteBlock(buffer.AsSpan((int)receiveLength, (int)localLength), local);
        WriteBlock(buffer.AsSpan((int)(receiveLength + localLength)), remote);
    }

    private static void WriteBlock(Span<byte> block, IPEndPoint? ep)
    {
        block[..4].Clear();
        if (ep is null) return;
        var sa = SockAddr.From(ep);
        BinaryPrimitives.WriteInt32LittleEndian(block, sa.Length);
        sa.CopyTo(block[4..]);
    }

    /// <summary>
    /// GetAcceptExSockaddrs: copies of the two sockaddrs with their lengths. A buffer or block that cannot hold what
    /// AcceptEx wrote gives empty addresses of length 0 (the C function has no error to report).
    /// </summary>
    public static void Read(byte[] buffer, uint receiveLength, uint localLength, uint remoteLength,
        out byte[] local, out int localLen, out byte[] remote, out int remoteLen)
    {
        local = ReadBlock(buffer, (ulong)receiveLength, localLength, out localLen);
        remote = ReadBlock(buffer, (ulong)receiveLength + localLength, remoteLength, out remoteLen);
    }

    private static byte[] ReadBlock(byte[]? buffer, ulong offset, uint length, out int sockaddrLength)
    {
        sockaddrLength = 0;
        if (buffer is null || length < 4 || offset + length > (ulong)buffer.Length) return [];
        var block = buffer.AsSpan((int)offset, (int)length);
        int n = BinaryPrimitives.ReadInt32LittleEndian(block);
        if (n <= 0 || n > length - 4) return [];
        sockaddrLength = n;
        return block.Slice(4, n).ToArray();
    }
}
