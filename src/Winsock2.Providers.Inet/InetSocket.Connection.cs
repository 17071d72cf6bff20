using System.Net;
using System.Net.Sockets;
using Winsock2.Interop;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Inet;

internal sealed partial class InetSocket
{
    public int Bind(byte[] name, int namelen)
    {
        int rc = SockAddr.TryParse(name, namelen, out var ep);
        if (rc != 0) return rc;
        if (SockAddr.Family(name) != Family) return Ws2Spi.WSAEFAULT;
        // Windows binds no socket to the limited broadcast address (ReactOS's bind.c); Linux would take it for UDP.
        if (ep!.Address.Equals(IPAddress.Broadcast)) return Ws2Spi.WSAEADDRNOTAVAIL;
        lock (Gate)
        {
            if (_closed) return Ws2Spi.WSAENOTSOCK;
            if (_bound || _conn != ConnState.None) return Ws2Spi.WSAEINVAL;
            bool groupsToo = BindsForGroups(ep!);
            try { _os.Bind(groupsToo ? new IPEndPoint(Family == Ws2Spi.AF_INET6 ? IPAddress.IPv6Any : IPAddress.Any, ep!.Port) : ep!); }
            catch (SocketException e) { return (int)e.SocketErrorCode; }
            if (groupsToo) _visibleLocal = ep;
            _bound = true;
            return 0;
        }
    }

    public int Listen(int backlog)
    {
        lock (Gate)
        {
            if (_closed) return Ws2Spi.WSAENOTSOCK;
            if (IsDatagram) return Ws2Spi.WSAEOPNOTSUPP;
            if (_conn != ConnState.None) return Ws2Spi.WSAEISCONN;
            if (!_bound) return Ws2Spi.WSAEINVAL;
            try { _os.Listen(Math.Clamp(backlog, 1, 4096)); }
            catch (SocketException e) { return (int)e.SocketErrorCode; }
            _listening = true;
            RefreshEvents();
            return 0;
        }
    }

    /// <summary>WSPConnect: TCP connects (nonblocking: WSAEWOULDBLOCK then FD_CONNECT); UDP sets the default peer and filters receives.</summary>
    public int Connect(byte[] name, int namelen, WSABUF? callerData, WSABUF? calleeData, QOS? sqos)
    {
        int rc = SockAddr.TryParse(name, namelen, out var ep);
        if (rc != 0) return rc;
        if (SockAddr.Family(name) != Family) return Ws2Spi.WSAEAFNOSUPPORT;
        bool anyAddress = ep!.Address.Equals(IPAddress.Any) || ep.Address.Equals(IPAddress.IPv6Any);
        if (IsDatagram)
        {
            lock (Gate)
            {
                if (_closed) return Ws2Spi.WSAENOTSOCK;
                try
                {
                    if (anyAddress)
                    {
                        // Connecting to the wildcard address dissolves the association.
                        SocketCalls.Connect(_handle, stackalloc byte[16], out _); // AF_UNSPEC
                        _conn = ConnState.None;
                        return 0;
                    }
                    _os.Connect(ep);
                }
                catch (SocketException e) { return (int)e.SocketErrorCode; }
                _conn = ConnState.Connected;
                _bound = true;
                return 0;
            }
        }
        if ((callerData is not null && callerData.len > 0) || (calleeData is not null && calleeData.len > 0))
            return Ws2Spi.WSAEPROTONOSUPPORT; // no XP1_CONNECT_DATA
        if (sqos is not null) return Ws2Spi.WSAEOPNOTSUPP; // no XP1_QOS_SUPPORTED
        lock (Gate)
        {
            if (_closed) return Ws2Spi.WSAENOTSOCK;
            if (_listening) return Ws2Spi.WSAEINVAL;
            if (_conn == ConnState.Connected) return Ws2Spi.WSAEISCONN;
            if (_conn == ConnState.Connecting) return NonBlocking ? Ws2Spi.WSAEALREADY : Ws2Spi.WSAEINVAL;
            if (anyAddress || ep.Port == 0) return Ws2Spi.WSAEADDRNOTAVAIL;
            int result = SocketCalls.Connect(_handle, LinuxSockAddr.ToLinux(ep), out int err);
            if (result == 0)
            {
                ConnectSucceeded();
                return 0;
            }
            if (err != Errno.EINPROGRESS) return Errno.ToWinsock(err);
            _conn = ConnState.Connecting;
            _connectReported = false;
            _bound = true;
            if (NonBlocking) return Ws2Spi.WSAEWOULDBLOCK;
        }
        int wait = _readyWaiters.WaitFor(this, static s => { lock (s.Gate) return s._conn != ConnState.Connecting || s._closed; }, -1);
        if (wait != 0) return wait;
        lock (Gate)
        {
            if (_closed) return Ws2Spi.WSAEINTR;
            if (_conn == ConnState.Connected) return 0;
            _conn = ConnState.None;
            return _connectError;
        }
    }

    private void ConnectSucceeded()
    {
        _conn = ConnState.Connected;
        _bound = true;
        _connectedByConnect = true;
        _peer = RemoteEndPoint;
        Events.Signal(Ws2Spi.FD_CONNECT, 0);
        if (WritableNow()) Events.Signal(Ws2Spi.FD_WRITE, 0, edge: true);
    }

    /// <summary>The reactor saw the connect finish.</summary>
    private void FinishConnect()
    {
        int err = SocketCalls.SocketError(_handle);
        if (err == 0)
        {
            ConnectSucceeded();
            return;
        }
        _connectError = Errno.ToWinsock(err);
        _pendingSoError = _connectError;
        _conn = NonBlocking ? ConnState.None : ConnState.Failed;
        Events.Signal(Ws2Spi.FD_CONNECT, _connectError);
    }

    /// <summary>WSPAccept with the condition function (CF_ACCEPT, CF_REJECT → WSAECONNREFUSED, CF_DEFER → WSATRY_AGAIN).</summary>
    public SOCKET Accept(InetProvider provider, byte[]? addr, ref int addrlen, LPCONDITIONPROC? condition, nuint callbackData, out int errno)
    {
        if (addr is not null && addrlen < SockAddr.SizeOf(Family))
        {
            errno = Ws2Spi.WSAEFAULT;
            return SOCKET.Invalid;
        }
        var conn = AcceptLoop.Take(this, out errno);
        if (conn is null) return SOCKET.Invalid;
        var peer = (IPEndPoint)conn.RemoteEndPoint!;
        int verdict = condition is null ? Ws2Spi.CF_ACCEPT
            : ConditionCall.Invoke(condition, peer, (IPEndPoint)conn.LocalEndPoint!, callerData: null, sqos: null, calleeData: null, callbackData);
        lock (Gate)
        {
            if (!AcceptLoop.Verdict(this, conn, verdict, out errno)) return SOCKET.Invalid;
        }
        var accepted = provider.Adopt(this, conn, out errno);
        lock (Gate) RefreshEvents();
        if (!accepted.IsValid) return accepted;
        if (addr is not null) SockAddr.Write(peer, addr, ref addrlen);
        return accepted;
    }

    /// <summary>The next connection: a deferred one first, else one from the kernel's queue.</summary>
    private Socket? TakePending(out int errno)
    {
        errno = 0;
        if (_backlog.First is { } node)
        {
            _backlog.RemoveFirst();
            return node.Value;
        }
        var accepted = SocketCalls.Accept4(_handle, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, out int err);
        if (accepted is null)
        {
            if (err == Errno.EAGAIN || err == 103 || err == 71) return null; // nothing, or aborted before accept
            errno = Errno.ToWinsock(err);
            return null;
        }
        try { return new Socket(accepted); }
        catch (SocketException e)
        {
            accepted.Dispose();
            errno = (int)e.SocketErrorCode;
            return null;
        }
    }

    // What AcceptLoop needs of a listening socket (under the lock). A refused connection is reset.
    bool IListeningSocket<Socket>.Listening => _listening;
    ReadyWaiters IListeningSocket<Socket>.ReadyWaiters => _readyWaiters;
    void IListeningSocket<Socket>.RefreshEvents() => RefreshEvents();
    bool IListeningSocket<Socket>.HasPending => _backlog.Count > 0 || (SocketCalls.PollNow(_handle, Libc.POLLIN) & Libc.POLLIN) != 0;
    Socket? IListeningSocket<Socket>.TakePending(out int errno) => TakePending(out errno);
    void IListeningSocket<Socket>.PutBack(Socket pending) => _backlog.AddFirst(pending);
    void IListeningSocket<Socket>.Refuse(Socket pending)
    {
        pending.LingerState = new LingerOption(true, 0);
        pending.Dispose();
    }

    /// <summary>A socket made by accept: connected at once, inheriting the listener's selection and blocking mode.</summary>
    public void InitAccepted(InetSocket listener)
    {
        lock (Gate)
        {
            _conn = ConnState.Connected;
            _bound = true;
            _peer = RemoteEndPoint;
            NonBlocking = listener.NonBlocking;
            RecvTimeoutMs = listener.RecvTimeoutMs;
            SendTimeoutMs = listener.SendTimeoutMs;
            OobInline = listener.OobInline;
            // The kernel copies the buffer sizes; the values as set (what getsockopt reports) come along too, as
            // Windows' accepted sockets show them (Wine's test_accept_inheritance).
            RecvBufferSet = listener.RecvBufferSet;
            SendBufferSet = listener.SendBufferSet;
            ReuseAddressSet = listener.ReuseAddressSet;
            if (listener.Events.Active)
            {
                Events.CopyFrom(listener.Events);
                OnSelectionChanged();
            }
        }
    }

    public int Shutdown(int how)
    {
        if (how < Ws2Spi.SD_RECEIVE || how > Ws2Spi.SD_BOTH) return Ws2Spi.WSAEINVAL;
        lock (Gate)
        {
            if (_closed) return Ws2Spi.WSAENOTSOCK;
            if (IsStream && _conn != ConnState.Connected) return Ws2Spi.WSAENOTCONN;
            try
            {
                if (how != Ws2Spi.SD_SEND) _recvShut = true;
                if (how != Ws2Spi.SD_RECEIVE)
                {
                    _sendShut = true;
                    if (IsStream) _os.Shutdown(SocketShutdown.Send);
                }
            }
            catch (SocketException e) { return (int)e.SocketErrorCode; }
            return 0;
        }
    }

    public int GetSockName(byte[] name, ref int namelen)
    {
        lock (Gate)
        {
            if (_closed) return Ws2Spi.WSAENOTSOCK;
            if (_acceptContextPending) return Ws2Spi.WSAENOTCONN; // AcceptEx: until SO_UPDATE_ACCEPT_CONTEXT
            // Bound explicitly or implicitly (connect, sendto): the kernel has a port; unbound: WSAEINVAL.
            var ep = LocalEndPoint;
            if (ep is null || ep.Port == 0) return Ws2Spi.WSAEINVAL;
            // A multipoint socket bound to an interface address shows that address, whatever the kernel holds.
            if (_visibleLocal is not null) ep = new IPEndPoint(_visibleLocal.Address, ep.Port);
            return SockAddr.Write(ep, name, ref namelen);
        }
    }

    public int GetPeerName(byte[] name, ref int namelen)
    {
        lock (Gate)
        {
            if (_closed) return Ws2Spi.WSAENOTSOCK;
            if (_conn != ConnState.Connected || _acceptContextPending) return Ws2Spi.WSAENOTCONN;
            // Once both directions are shut down Linux forgets the peer (the socket is closed underneath); Windows
            // still names it (Wine's test_shutdown), so the address seen at connect or accept answers then.
            var ep = RemoteEndPoint ?? _peer;
            return ep is null ? Ws2Spi.WSAENOTCONN : SockAddr.Write(ep, name, ref namelen);
        }
    }

    /// <summary>Readiness for select: readable, writable, exceptional.</summary>
    public (bool Read, bool Write, bool Except) Readiness()
    {
        lock (Gate)
        {
            if (_closed) return (false, false, false);
            short rev = SocketCalls.PollNow(_handle, (short)(Libc.POLLIN | Libc.POLLPRI | Libc.POLLOUT | Libc.POLLRDHUP));
            if (_listening) return (_backlog.Count > 0 || (rev & Libc.POLLIN) != 0, false, false);
            if (IsDatagram) return ((rev & Libc.POLLIN) != 0, (rev & Libc.POLLOUT) != 0, false);
            bool failed = _conn == ConnState.Failed || (_conn == ConnState.None && _connectError != 0 && !_connectReported);
            bool connected = _conn == ConnState.Connected;
            bool read = connected && (rev & (Libc.POLLIN | Libc.POLLRDHUP | Libc.POLLHUP | Libc.POLLERR)) != 0;
            bool write = connected && (rev & Libc.POLLOUT) != 0;
            bool except = failed || (connected && UrgentPending(rev));
            return (read, write, except);
        }
    }

    public bool IsReady(int set)
    {
        var (read, write, except) = Readiness();
        return set switch { 0 => read, 1 => write, _ => except };
    }

    public void ReportedExceptional() => ConnectFailureSeen();

    /// <summary>select reported the failed connect: the socket may try again.</summary>
    public void ConnectFailureSeen()
    {
        lock (Gate)
        {
            _connectReported = true;
            if (_conn == ConnState.Failed) _conn = ConnState.None;
        }
    }
}
