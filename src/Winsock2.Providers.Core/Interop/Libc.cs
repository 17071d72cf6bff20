using System.Runtime.InteropServices;

namespace Winsock2.Interop;

/// <summary>
/// The few Linux calls System.Net.Sockets does not expose with Winsock's semantics: readiness (epoll, poll),
/// scatter/gather receive and send with the flags Winsock needs (MSG_PEEK, MSG_OOB, MSG_TRUNC), nonblocking
/// connect and accept4. Sockets themselves are still created, bound, configured and closed by System.Net.Sockets.
/// </summary>
internal static unsafe partial class Libc
{
    public const int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    public const uint EPOLLIN = 0x001, EPOLLPRI = 0x002, EPOLLOUT = 0x004, EPOLLERR = 0x008, EPOLLHUP = 0x010,
        EPOLLRDHUP = 0x2000, EPOLLET = 0x80000000;
    public const short POLLIN = 0x001, POLLPRI = 0x002, POLLOUT = 0x004, POLLERR = 0x008, POLLHUP = 0x010,
        POLLNVAL = 0x020, POLLRDHUP = 0x2000;
    public const int MSG_OOB = 0x1, MSG_PEEK = 0x2, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_WAITALL = 0x100,
        MSG_NOSIGNAL = 0x4000;
    public const int SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800, EFD_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1, SO_ERROR = 4;
    public const int FIONREAD = 0x541B, SIOCATMARK = 0x8905;

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    public struct epoll_event_packed { public uint events; public ulong data; }

    [StructLayout(LayoutKind.Sequential)]
    public struct epoll_event_aligned { public uint events; public ulong data; }

    [StructLayout(LayoutKind.Sequential)]
    public struct pollfd { public int fd; public short events; public short revents; }

    [StructLayout(LayoutKind.Sequential)]
    public struct iovec { public void* iov_base; public nuint iov_len; }

    [StructLayout(LayoutKind.Sequential)]
    public struct msghdr
    {
        public void* msg_name;
        public uint msg_namelen;
        public iovec* msg_iov;
        public nuint msg_iovlen;
        public void* msg_control;
        public nuint msg_controllen;
        public int msg_flags;
    }

    /// <summary>One message of recvmmsg(2) / sendmmsg(2): its header and the bytes it carried.</summary>
    public struct mmsghdr
    {
        public msghdr msg_hdr;
        public uint msg_len;
    }

    /// <summary>x86-64 packs epoll_event (12 bytes); other architectures align it (16 bytes).</summary>
    public static readonly bool PackedEpollEvent = RuntimeInformation.ProcessArchitecture == Architecture.X64;

    [LibraryImport("libc", SetLastError = true)] public static partial int epoll_create1(int flags);
    [LibraryImport("libc", SetLastError = true)] public static partial int epoll_ctl(int epfd, int op, int fd, void* ev);
    [LibraryImport("libc", SetLastError = true)] public static partial int epoll_wait(int epfd, void* events, int maxevents, int timeout);
    [LibraryImport("libc", SetLastError = true)] public static partial int poll(pollfd* fds, nuint nfds, int timeout);
    [LibraryImport("libc")] public static partial nint recvmsg(int fd, msghdr* msg, int flags);
    [LibraryImport("libc")] public static partial nint recv(int fd, void* buf, nuint len, int flags);
    [LibraryImport("libc")] public static partial nint sendmsg(int fd, msghdr* msg, int flags);
    [LibraryImport("libc")] public static partial int recvmmsg(int fd, mmsghdr* msgvec, uint vlen, int flags, void* timeout);
    [LibraryImport("libc")] public static partial int sendmmsg(int fd, mmsghdr* msgvec, uint vlen, int flags);
    [LibraryImport("libc", SetLastError = true)] public static partial int connect(int fd, void* addr, uint addrlen);
    [LibraryImport("libc", SetLastError = true)] public static partial int getsockname(int fd, void* addr, uint* addrlen);
    [LibraryImport("libc", SetLastError = true)] public static partial int getpeername(int fd, void* addr, uint* addrlen);
    [LibraryImport("libc", SetLastError = true)] public static partial int accept4(int fd, void* addr, uint* addrlen, int flags);
    [LibraryImport("libc", SetLastError = true)] public static partial int ioctl(int fd, nuint request, int* arg);
    [LibraryImport("libc", SetLastError = true)] public static partial int eventfd(uint initval, int flags);
    [LibraryImport("libc", SetLastError = true)] public static partial nint read(int fd, void* buf, nuint count);
    [LibraryImport("libc", SetLastError = true)] public static partial nint write(int fd, void* buf, nuint count);
    [LibraryImport("libc", SetLastError = true)] public static partial int close(int fd);
    [LibraryImport("libc", SetLastError = true)] public static partial int getsockopt(int fd, int level, int optname, void* optval, uint* optlen);

    public static int Errno => Marshal.GetLastPInvokeError();

    /// <summary>
    /// errno itself, read right after a call imported without SetLastError (the data calls: recv, recvmsg, sendmsg,
    /// recvmmsg, sendmmsg), as the generated stub of a SetLastError import reads it — without storing it for
    /// <see cref="Marshal.GetLastPInvokeError"/> first, which costs every call two runtime calls whether it failed or not.
    /// </summary>
    public static int SystemErrno => Marshal.GetLastSystemError();

    /// <summary>poll(2) on one descriptor with a zero timeout; returns revents (POLLNVAL when the fd is gone).</summary>
    public static short PollNow(int fd, short events)
    {
        var p = new pollfd { fd = fd, events = events };
        int rc = poll(&p, 1, 0);
        return rc < 0 ? POLLNVAL : p.revents;
    }

    /// <summary>The pending error of a socket (SO_ERROR), as errno.</summary>
    public static int SocketError(int fd)
    {
        int err = 0;
        uint len = sizeof(int);
        return getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 ? Errno : err;
    }

    /// <summary>
    /// The kernel's local (getsockname) or remote (getpeername) address; null if there is none. System.Net.Sockets
    /// does not know the addresses of sockets connected (or implicitly bound) through libc, so ask the kernel.
    /// </summary>
    public static System.Net.IPEndPoint? EndPoint(int fd, bool peer)
    {
        byte* b = stackalloc byte[128];
        uint len = 128;
        int rc = peer ? getpeername(fd, b, &len) : getsockname(fd, b, &len);
        return rc < 0 ? null : LinuxSockAddr.FromLinux(new ReadOnlySpan<byte>(b, (int)Math.Min(len, 128u)));
    }

    /// <summary>FIONREAD: bytes waiting (stream) or the size of the next datagram.</summary>
    public static int BytesAvailable(int fd)
    {
        int n = 0;
        return ioctl(fd, FIONREAD, &n) < 0 ? 0 : n;
    }

    /// <summary>SIOCATMARK: 1 when the read pointer is at the urgent mark.</summary>
    public static bool AtMark(int fd)
    {
        int n = 0;
        return ioctl(fd, SIOCATMARK, &n) == 0 && n != 0;
    }
}
