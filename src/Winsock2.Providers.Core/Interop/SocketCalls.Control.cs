using System.Net.Sockets;

namespace Winsock2.Interop;

internal static unsafe partial class SocketCalls
{
    /// <summary>
    /// <see cref="RecvMsg"/> with a control buffer: the kernel's control messages (cmsghdr records) come back in
    /// <paramref name="control"/>, <paramref name="controlLength"/> bytes of them (MSG_CTRUNC in msg_flags when cut).
    /// </summary>
    public static nint RecvMsgControl(SafeSocketHandle s, Libc.iovec* iov, int iovCount, byte* name, uint nameCapacity,
        byte* control, uint controlCapacity, int flags, out uint nameLength, out int msgFlags, out int controlLength, out int errno)
    {
        var msg = new Libc.msghdr
        {
            msg_name = name,
            msg_namelen = name is null ? 0 : nameCapacity,
            msg_iov = iov,
            msg_iovlen = (nuint)iovCount,
            msg_control = control,
            msg_controllen = controlCapacity,
        };
        using var held = new Held(s);
        nint n = CheckedNow(Libc.recvmsg(held.Fd, &msg, flags), out errno);
        nameLength = msg.msg_namelen;
        msgFlags = msg.msg_flags;
        controlLength = n < 0 ? 0 : (int)msg.msg_controllen;
        return n;
    }

    /// <summary>
    /// <see cref="SendMsg"/> with control messages: <paramref name="controlLength"/> bytes of cmsghdr records (Linux
    /// layout) at <paramref name="control"/> go with the data.
    /// </summary>
    public static nint SendMsgControl(SafeSocketHandle s, Libc.iovec* iov, int iovCount, byte* to, uint toLength,
        byte* control, uint controlLength, int flags, out int errno)
    {
        var msg = new Libc.msghdr
        {
            msg_name = to,
            msg_namelen = to is null ? 0 : toLength,
            msg_iov = iov,
            msg_iovlen = (nuint)iovCount,
            msg_control = controlLength == 0 ? null : control,
            msg_controllen = controlLength,
        };
        using var held = new Held(s);
        return CheckedNow(Libc.sendmsg(held.Fd, &msg, flags), out errno);
    }
}
