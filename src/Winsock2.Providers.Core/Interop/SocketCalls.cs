using System.Net.Sockets;

namespace Winsock2.Interop;

/// <summary>
/// The Linux socket calls the providers make, typed on <see cref="SafeSocketHandle"/>. Each call holds a reference
/// on the handle while it runs (DangerousAddRef / DangerousRelease), so the descriptor cannot be closed, and its
/// number reused by another socket, under the call. A handle already closed is passed to the kernel as -1, which
/// refuses it with EBADF. Every call returns what libc returns, with errno (0 on success) read before the
/// reference is released.
/// </summary>
internal static unsafe partial class SocketCalls
{
    /// <summary>errno for a descriptor that is not open (also what a closed handle gets).</summary>
    public const int EBADF = 9;

    /// <summary>
    /// recvmsg(2) into <paramref name="iovCount"/> iovecs, the source address (Linux layout) into <paramref name="name"/>
    /// when given: the byte count or -1 with errno; <paramref name="nameLength"/> and the kernel's msg_flags (MSG_TRUNC
    /// ...) come back. The msghdr is built here, so no provider lays one out.
    /// </summary>
    public static nint RecvMsg(SafeSocketHandle s, Libc.iovec* iov, int iovCount, byte* name, uint nameCapacity, int flags,
        out uint nameLength, out int msgFlags, out int errno)
    {
        var msg = new Libc.msghdr
        {
            msg_name = name,
            msg_namelen = name is null ? 0 : nameCapacity,
            msg_iov = iov,
            msg_iovlen = (nuint)iovCount,
        };
        using var held = new Held(s);
        nint n = CheckedNow(Libc.recvmsg(held.Fd, &msg, flags), out errno);
        nameLength = msg.msg_namelen;
        msgFlags = msg.msg_flags;
        return n;
    }

    /// <summary>
    /// recvmmsg(2) without a timeout: up to <paramref name="count"/> messages into the headers the caller filled; the
    /// number received (each header's msg_len, msg_namelen and msg_flags set) or -1 with errno.
    /// </summary>
    public static int RecvMmsg(SafeSocketHandle s, Libc.mmsghdr* messages, int count, int flags, out int errno)
    {
        using var held = new Held(s);
        return (int)CheckedNow(Libc.recvmmsg(held.Fd, messages, (uint)count, flags, null), out errno);
    }

    /// <summary>sendmmsg(2): up to <paramref name="count"/> messages; the number sent (each header's msg_len set) or -1 with errno.</summary>
    public static int SendMmsg(SafeSocketHandle s, Libc.mmsghdr* messages, int count, int flags, out int errno)
    {
        using var held = new Held(s);
        return (int)CheckedNow(Libc.sendmmsg(held.Fd, messages, (uint)count, flags), out errno);
    }

    /// <summary>recv(2) into one buffer.</summary>
    public static nint Recv(SafeSocketHandle s, void* buffer, nuint length, int flags, out int errno)
    {
        using var held = new Held(s);
        return CheckedNow(Libc.recv(held.Fd, buffer, length, flags), out errno);
    }

    /// <summary>
    /// sendmsg(2) from <paramref name="iovCount"/> iovecs, to <paramref name="to"/> (Linux layout, <paramref name="toLength"/>
    /// bytes) when given: the byte count or -1 with errno. The msghdr is built here.
    /// </summary>
    public static nint SendMsg(SafeSocketHandle s, Libc.iovec* iov, int iovCount, byte* to, uint toLength, int flags, out int errno)
    {
        var msg = new Libc.msghdr
        {
            msg_name = to,
            msg_namelen = to is null ? 0 : toLength,
            msg_iov = iov,
            msg_iovlen = (nuint)iovCount,
        };
        using var held = new Held(s);
        return CheckedNow(Libc.sendmsg(held.Fd, &msg, flags), out errno);
    }

    /// <summary>connect(2) to a Linux sockaddr (<see cref="LinuxSockAddr.ToLinux"/>), retried while it is interrupted (EINTR).</summary>
    public static int Connect(SafeSocketHandle s, ReadOnlySpan<byte> linuxAddress, out int errno)
    {
        using var held = new Held(s);
        int rc;
        fixed (byte* p = linuxAddress)
        {
            do rc = (int)Checked(Libc.connect(held.Fd, p, (uint)linuxAddress.Length), out errno);
            while (rc < 0 && errno == Errno.EINTR);
        }
        return rc;
    }

    /// <summary>
    /// accept4(2) without the peer's address, retried while it is interrupted (EINTR): the new connection as a handle
    /// that owns its descriptor, or null with errno (EAGAIN when none waits).
    /// </summary>
    public static SafeSocketHandle? Accept4(SafeSocketHandle s, int flags, out int errno)
    {
        using var held = new Held(s);
        int fd;
        do fd = (int)Checked(Libc.accept4(held.Fd, null, null, flags), out errno);
        while (fd < 0 && errno == Errno.EINTR);
        return fd < 0 ? null : new SafeSocketHandle(fd, ownsHandle: true);
    }

    /// <summary>setsockopt(2) with the option's bytes as Linux lays them out.</summary>
    public static int SetSockOpt(SafeSocketHandle s, int level, int optname, ReadOnlySpan<byte> value, out int errno)
    {
        using var held = new Held(s);
        fixed (byte* p = value) return (int)Checked(Libc.setsockopt(held.Fd, level, optname, p, (uint)value.Length), out errno);
    }

    /// <summary>getsockopt(2) into <paramref name="value"/>; <paramref name="length"/> is what the kernel wrote (0 on failure).</summary>
    public static int GetSockOpt(SafeSocketHandle s, int level, int optname, Span<byte> value, out int length, out int errno)
    {
        using var held = new Held(s);
        uint len = (uint)value.Length;
        int rc;
        fixed (byte* p = value) rc = (int)Checked(Libc.getsockopt(held.Fd, level, optname, p, &len), out errno);
        length = rc < 0 ? 0 : (int)len;
        return rc;
    }

    /// <summary>poll(2) with a zero timeout: the socket's revents now (POLLNVAL once it is closed).</summary>
    public static short PollNow(SafeSocketHandle s, short events)
    {
        using var held = new Held(s);
        return held.Fd < 0 ? Libc.POLLNVAL : Libc.PollNow(held.Fd, events);
    }

    /// <summary>The socket's pending error (SO_ERROR) as errno; EBADF once it is closed.</summary>
    public static int SocketError(SafeSocketHandle s)
    {
        using var held = new Held(s);
        return Libc.SocketError(held.Fd);
    }

    /// <summary>The kernel's local (getsockname) or remote (getpeername) address; null when there is none or the socket is closed.</summary>
    public static System.Net.IPEndPoint? EndPoint(SafeSocketHandle s, bool peer)
    {
        using var held = new Held(s);
        return Libc.EndPoint(held.Fd, peer);
    }

    /// <summary>FIONREAD: bytes waiting (stream) or the size of the next datagram; 0 once the socket is closed.</summary>
    public static int BytesAvailable(SafeSocketHandle s)
    {
        using var held = new Held(s);
        return Libc.BytesAvailable(held.Fd);
    }

    /// <summary>SIOCATMARK: true when the read pointer is at the urgent mark (false once the socket is closed).</summary>
    public static bool AtMark(SafeSocketHandle s)
    {
        using var held = new Held(s);
        return Libc.AtMark(held.Fd);
    }

    private static nint Checked(nint rc, out int errno)
    {
        errno = rc < 0 ? Libc.Errno : 0;
        return rc;
    }

    /// <summary>As <see cref="Checked"/> for the data calls imported without SetLastError: errno read directly.</summary>
    private static nint CheckedNow(nint rc, out int errno)
    {
        errno = rc < 0 ? Libc.SystemErrno : 0;
        return rc;
    }

    /// <summary>A reference on the handle for the length of one call; <see cref="Fd"/> is -1 when the handle is closed.</summary>
    internal ref struct Held
    {
        private readonly SafeSocketHandle _handle;
        private bool _held;

        public Held(SafeSocketHandle handle)
        {
            _handle = handle;
            try { handle.DangerousAddRef(ref _held); }
            catch (ObjectDisposedException) { _held = false; }
        }

        public readonly int Fd => _held ? (int)_handle.DangerousGetHandle() : -1;

        public void Dispose()
        {
            if (_held) _handle.DangerousRelease();
            _held = false;
        }
    }
}
