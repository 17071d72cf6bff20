using System.Net.Sockets;

namespace Winsock2.Interop;

internal static unsafe partial class SocketCalls
{
    /// <summary>
    /// dup3(2): <paramref name="target"/>'s descriptor number comes to stand for <paramref name="source"/>'s socket (the
    /// target's former socket is closed; the number, and so every handle on it, stays). What AcceptEx uses to put an
    /// accepted connection into the socket the application made for it, and DisconnectEx(TF_REUSE_SOCKET) to give a socket
    /// a fresh, unconnected one. 0, or -1 with errno. The caller disposes <paramref name="source"/> afterwards.
    /// </summary>
    public static int Replace(SafeSocketHandle target, SafeSocketHandle source, out int errno)
    {
        using var to = new Held(target);
        using var from = new Held(source);
        int rc;
        do rc = (int)Checked(Libc.dup3(from.Fd, to.Fd, Libc.O_CLOEXEC), out errno);
        while (rc < 0 && errno == Errno.EINTR);
        return rc < 0 ? -1 : 0;
    }
}
