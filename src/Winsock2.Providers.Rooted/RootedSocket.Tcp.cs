using Winsock2.Interop;
using System.Net;
using System.Net.Sockets;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>The TCP underneath a rooted socket: new sockets, nonblocking connect, listening and taking waiting connections.</summary>
internal abstract partial class RootedSocket
{
    /// <summary>
    /// A new TCP socket of this socket's family, bound to <paramref name="local"/> if given. SO_REUSEADDR only when
    /// the application set it, or when a join retry rebinds the address this socket already had.
    /// </summary>
    protected Socket NewTcp(IPEndPoint? local, out int errno, bool rebind = false)
    {
        errno = 0;
        var os = new Socket(Family == Ws2Spi.AF_INET6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (Family == Ws2Spi.AF_INET6) os.DualMode = false;
        try
        {
            // SO_REUSEADDR alone (raw): .NET's ReuseAddress also sets SO_REUSEPORT on Linux, which would let a second
            // socket bind a port a root or leaf listens on and share its joins; Winsock says WSAEADDRINUSE.
            if (ReuseAddress || rebind) os.SetRawSocketOption(1 /* SOL_SOCKET */, 2 /* SO_REUSEADDR */, [1, 0, 0, 0]);
            if (local is not null) os.Bind(local);
        }
        catch (SocketException e)
        {
            errno = (int)e.SocketErrorCode;
            os.Dispose();
        }
        return os;
    }

    /// <summary>Starts a nonblocking TCP connect: 0 (connected at once), -1 (in progress) or the error.</summary>
    protected static int StartConnect(Socket os, IPEndPoint ep)
    {
        os.Blocking = false;
        int rc = SocketCalls.Connect(os.SafeHandle, LinuxSockAddr.ToLinux(ep), out int err);
        if (rc == 0) return 0;
        return err == Errno.EINPROGRESS ? -1 : Errno.ToWinsock(err);
    }

    /// <summary>Starts listening on a bound TCP socket and watching it with the reactor (0 or the error).</summary>
    protected static int StartListening(Socket os, int backlog, IReadyHandler handler, out ulong listenerId)
    {
        listenerId = 0;
        try
        {
            os.NoDelay = true; // inherited by every connection accepted from it (Connection: accepted)
            os.Listen(Math.Clamp(backlog, 1, 4096));
        }
        catch (SocketException e) { return (int)e.SocketErrorCode; }
        os.Blocking = false;
        listenerId = Reactor.Shared.Register((int)os.Handle, handler);
        return 0;
    }

    /// <summary>closesocket on a listening socket (under the lock): queued and half-made joins end, the listener closes.</summary>
    protected static void StopListening(Socket? listener, ulong listenerId, params ICollection<Connection>[] queues)
    {
        foreach (var q in queues)
        {
            foreach (var c in q) c.Abort();
            q.Clear();
        }
        if (listener is null) return;
        if (listenerId != 0) Reactor.Shared.Unregister((int)listener.Handle, listenerId);
        listener.Dispose();
    }

    /// <summary>
    /// The listener is readable (under the lock): every waiting TCP connection becomes a handshaking connection
    /// owned by <paramref name="owner"/>, which must send JOIN_REQUEST within the join timeout. With
    /// <paramref name="unwatched"/> (a blocked accept taking them itself), up to <paramref name="unwatchedLimit"/> go
    /// there unwatched by the reactor (the accepting thread reads them, and has them watched when its wait ends); that
    /// thread polls the listener level-triggered, so it takes one connection per readiness (<paramref name="drain"/>
    /// false) and the next poll reports the next. The reactor watches it edge-triggered and takes them all.
    /// Accepted through System.Net.Sockets, which knows the new socket's family and addresses from the accept itself
    /// (a socket made from a bare descriptor asks the kernel eight questions first); only while the listener reports
    /// a connection waiting, so the usual end of the loop is a poll, not a failed accept and its exception.
    /// </summary>
    protected void AcceptWaiting(Socket listener, IConnectionOwner owner, List<Connection> handshaking,
        List<Connection>? unwatched = null, int unwatchedLimit = 0, bool drain = true)
    {
        for (bool first = true; drain ? (SocketCalls.PollNow(listener.SafeHandle, Libc.POLLIN) & Libc.POLLIN) != 0 : first; first = false)
        {
            Socket os;
            try { os = listener.Accept(); }
            catch (SocketException e) when (e.SocketErrorCode is System.Net.Sockets.SocketError.ConnectionAborted or System.Net.Sockets.SocketError.ConnectionReset)
            {
                continue; // that joiner gave up before it was taken: the next one
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return; // out of descriptors (or none after all): the listener's next readiness tries again
            }
            bool self = unwatched is not null && unwatched.Count < unwatchedLimit;
            var c = new Connection(owner, os, connecting: false, Options.HeartbeatMs, watch: !self, peer: os.RemoteEndPoint as IPEndPoint, accepted: true)
            {
                JoinDeadline = Environment.TickCount64 + Options.JoinTimeoutMs,
            };
            handshaking.Add(c);
            if (self) unwatched!.Add(c);
        }
    }
}
