using System.Net;
using System.Runtime.InteropServices;
using Winsock2.Interop;

namespace Winsock2.Providers.Inet;

/// <summary>
/// Kernel multicast memberships and options: the Linux structures come from <see cref="LinuxMulticast"/>, the calls
/// from <see cref="SocketCalls"/>; this part turns their errno into Winsock's codes.
/// </summary>
internal sealed partial class InetSocket
{
    /// <summary>Adds or drops a kernel membership (any-source when <paramref name="source"/> is null). Returns a Winsock code.</summary>
    private int KernelMembership(bool join, IPAddress group, IPAddress? source, (uint Address, int Index) itf)
    {
        var (level, option, value) = LinuxMulticast.Membership(join, group, source, itf.Address, itf.Index);
        int err = Set(level, option, value);
        // Linux says EINVAL when dropping a source-specific membership that is not there; Windows says not available.
        return !join && err == Ws2Spi.WSAEINVAL ? Ws2Spi.WSAEADDRNOTAVAIL : err;
    }

    private int Set(int level, int optname, ReadOnlySpan<byte> value)
    {
        if (SocketCalls.SetSockOpt(_handle, level, optname, value, out int e) == 0) return 0;
        return e switch
        {
            LinuxMulticast.ENODEV => Ws2Spi.WSAEADDRNOTAVAIL, // no such interface
            _ => Errno.ToWinsock(e, datagram: true),
        };
    }

    private int SetInt(int level, int optname, int value)
    {
        Span<byte> b = stackalloc byte[4];
        MemoryMarshal.Write(b, in value);
        return Set(level, optname, b);
    }

    private int GetInt(int level, int optname, out int value)
    {
        Span<byte> b = stackalloc byte[4];
        int rc = SocketCalls.GetSockOpt(_handle, level, optname, b, out _, out int e);
        value = MemoryMarshal.Read<int>(b);
        return rc == 0 ? 0 : Errno.ToWinsock(e, datagram: true);
    }
}
