using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Winsock2.Kernel;

namespace Winsock2.Providers.Inet;

/// <summary>
/// How WSADuplicateSocket hands an Inet socket to another process (or to this one): Linux passes a descriptor
/// between processes as SCM_RIGHTS ancillary data over a Unix domain socket.
/// </summary>
/// <remarks>
/// <para><see cref="Offer"/> (the source, in WSPDuplicateSocket) duplicates the descriptor, so the source may close
/// its socket at once, and listens on an abstract Unix socket named after a random 32-bit token; the token travels
/// in the WSAPROTOCOL_INFOW's dwProviderReserved. <see cref="Take"/> (the target, in WSPSocket with that structure)
/// connects to the name and receives the descriptor.</para>
/// <para>The offer is one-shot and bounded: it serves the first connection from the target process — the kernel
/// names the connecting process (SO_PEERCRED), and a connection from any other process is closed unserved — then
/// ends; unclaimed, it ends after <see cref="Lifetime"/>. At most <see cref="MaxOffers"/> offers wait at once
/// (one more is WSAENOBUFS); each holds one descriptor and one listening socket, no thread.</para>
/// <para>Abstract Unix names belong to the network namespace, so source and target must share one.</para>
/// </remarks>
internal static partial class SocketHandoff
{
    /// <summary>How long an offer waits for its target.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    /// <summary>Most offers waiting at once.</summary>
    public const int MaxOffers = 256;

    /// <summary>How long a take waits for the source's answer once connected.</summary>
    private const int TakeWaitMicroseconds = 10_000_000;

    private const int SOL_SOCKET = 1, SCM_RIGHTS = 1, SO_PEERCRED = 17, F_DUPFD_CLOEXEC = 1030, MSG_CMSG_CLOEXEC = 0x40000000;
    private const int CmsgHeader = 16, CmsgSpace = 24; // 64-bit cmsghdr; CMSG_SPACE(sizeof(int))

    private static int _offers;

    [LibraryImport("libc", SetLastError = true)] private static partial int fcntl(int fd, int cmd, int arg);
    [LibraryImport("libc", SetLastError = true)] private static unsafe partial nint sendmsg(int fd, Interop.Libc.msghdr* msg, int flags);
    [LibraryImport("libc", SetLastError = true)] private static unsafe partial nint recvmsg(int fd, Interop.Libc.msghdr* msg, int flags);

    private static string Name(uint token) => $"\0winsock2.dup.{token:x8}";

    /// <summary>
    /// Offers a duplicate of <paramref name="socket"/>'s descriptor to process <paramref name="targetPid"/>: 0 and
    /// the token, or WSAENOBUFS (too many offers, or no descriptor/socket to be had).
    /// </summary>
    public static int Offer(SafeSocketHandle socket, int targetPid, out uint token)
    {
        token = 0;
        if (Interlocked.Increment(ref _offers) > MaxOffers)
        {
            Interlocked.Decrement(ref _offers);
            return Ws2Spi.WSAENOBUFS;
        }
        SafeSocketHandle? copy = null;
        Socket? listener = null;
        try
        {
            copy = Duplicate(socket);
            if (copy is null) return Ws2Spi.WSAENOBUFS;
            for (int attempt = 0; attempt < 8 && listener is null; attempt++)
            {
                uint t = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
                var l = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    l.Bind(new UnixDomainSocketEndPoint(Name(t)));
                    l.Listen(4);
                    listener = l;
                    token = t;
                }
                catch (SocketException) { l.Dispose(); } // the name is taken: draw another
            }
            if (listener is null) return Ws2Spi.WSAENOBUFS;
            _ = ServeAsync(listener, copy, targetPid);
            listener = null;
            copy = null;
            return 0;
        }
        finally
        {
            if (copy is not null || listener is not null)
            {
                listener?.Dispose();
                copy?.Dispose();
                Interlocked.Decrement(ref _offers);
            }
        }
    }

    /// <summary>Claims the descriptor offered under <paramref name="token"/>: the handle, or null with WSAEINVAL (no such offer, or not for this process).</summary>
    public static unsafe SafeSocketHandle? Take(uint token, out int errno)
    {
        errno = Ws2Spi.WSAEINVAL;
        using var c = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            c.Connect(new UnixDomainSocketEndPoint(Name(token)));
            if (!c.Poll(TakeWaitMicroseconds, SelectMode.SelectRead)) return null;
        }
        catch (SocketException) { return null; }
        byte data;
        byte* control = stackalloc byte[CmsgSpace];
        new Span<byte>(control, CmsgSpace).Clear();
        var iov = new Interop.Libc.iovec { iov_base = &data, iov_len = 1 };
        var msg = new Interop.Libc.msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = CmsgSpace };
        if (recvmsg((int)c.Handle, &msg, MSG_CMSG_CLOEXEC) != 1) return null;
        if (msg.msg_controllen < CmsgHeader + sizeof(int) || *(int*)(control + 8) != SOL_SOCKET || *(int*)(control + 12) != SCM_RIGHTS)
            return null;
        errno = 0;
        return new SafeSocketHandle(*(int*)(control + CmsgHeader), ownsHandle: true);
    }

    private static SafeSocketHandle? Duplicate(SafeSocketHandle socket)
    {
        bool held = false;
        try
        {
            socket.DangerousAddRef(ref held);
            int fd = fcntl((int)socket.DangerousGetHandle(), F_DUPFD_CLOEXEC, 0);
            return fd < 0 ? null : new SafeSocketHandle(fd, ownsHandle: true);
        }
        catch (ObjectDisposedException) { return null; }
        finally
        {
            if (held) socket.DangerousRelease();
        }
    }

    /// <summary>Serves the offer: the first connection from the target gets the descriptor; others are closed unserved.</summary>
    private static async Task ServeAsync(Socket listener, SafeSocketHandle copy, int targetPid)
    {
        using var lifetime = new CancellationTokenSource(Lifetime);
        try
        {
            while (true)
            {
                Socket conn;
                try { conn = await listener.AcceptAsync(lifetime.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; } // unclaimed: the offer ends
                using (conn)
                {
                    if (PeerPid(conn) == targetPid && Send(conn, copy)) return;
                }
            }
        }
        catch (Exception e) { Diagnostics.InternalFailure("WSADuplicateSocket handoff", e); }
        finally
        {
            listener.Dispose();
            copy.Dispose();
            Interlocked.Decrement(ref _offers);
        }
    }

    private static int PeerPid(Socket conn)
    {
        Span<byte> cred = stackalloc byte[12]; // struct ucred { pid, uid, gid }
        try
        {
            return conn.GetRawSocketOption(SOL_SOCKET, SO_PEERCRED, cred) == 12 ? MemoryMarshal.Read<int>(cred) : -1;
        }
        catch (SocketException) { return -1; }
    }

    private static unsafe bool Send(Socket conn, SafeSocketHandle copy)
    {
        bool held = false;
        try
        {
            copy.DangerousAddRef(ref held);
            byte data = 1;
            byte* control = stackalloc byte[CmsgSpace];
            new Span<byte>(control, CmsgSpace).Clear();
            *(nuint*)control = (nuint)(CmsgHeader + sizeof(int));
            *(int*)(control + 8) = SOL_SOCKET;
            *(int*)(control + 12) = SCM_RIGHTS;
            *(int*)(control + CmsgHeader) = (int)copy.DangerousGetHandle();
            var iov = new Interop.Libc.iovec { iov_base = &data, iov_len = 1 };
            var msg = new Interop.Libc.msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = CmsgSpace };
            return sendmsg((int)conn.Handle, &msg, Interop.Libc.MSG_NOSIGNAL) == 1;
        }
        finally
        {
            if (held) copy.DangerousRelease();
        }
    }
}
