using System.Net;
using System.Net.Sockets;
using Winsock2.Interop;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Inet;

/// <summary>
/// ConnectEx (with SO_UPDATE_CONNECT_CONTEXT) and DisconnectEx (with TF_REUSE_SOCKET). A ConnectEx connects without
/// blocking; the reactor finishes it (<see cref="FinishConnectEx"/>), and its send data then goes out as an overlapped
/// send on the same WSAOVERLAPPED. DisconnectEx closes the connection gracefully by giving the socket a fresh,
/// unconnected descriptor in place of the connected one; with TF_REUSE_SOCKET the socket is then as new (unbound) and
/// serves AcceptEx or, once bound, ConnectEx again; without it, it can only be closed.
/// </summary>
internal sealed partial class InetSocket
{
    private sealed record ConnectExRequest(IoRequest Io, byte[]? SendBuffer, uint SendLength);

    /// <summary>The ConnectEx waiting for its connect to finish (under the lock).</summary>
    private ConnectExRequest? _connectEx;
    /// <summary>Connected by ConnectEx (SO_UPDATE_CONNECT_CONTEXT applies).</summary>
    private bool _connectedByConnectEx;
    /// <summary>DisconnectEx without TF_REUSE_SOCKET: only closesocket is left.</summary>
    private bool _disconnected;

    /// <summary>
    /// ConnectEx (Wine's test_ConnectEx records the rules): WSAEINVAL without an overlapped structure, on a datagram or
    /// listening socket, or on one not bound first; WSAEFAULT for a short name or send buffer; WSAEAFNOSUPPORT for another
    /// family; WSAEISCONN when connected; WSAEALREADY while a connect is under way; WSAEADDRNOTAVAIL for the wildcard
    /// address or port 0. Else WSA_IO_PENDING, and the result (WSAECONNREFUSED ...) comes through the WSAOVERLAPPED.
    /// </summary>
    public int ConnectEx(byte[] name, int namelen, byte[]? sendBuffer, uint sendLength, WSAOVERLAPPED? ov, WSATHREADID? threadId)
    {
        if (ov is null) return Ws2Spi.WSAEINVAL;
        int rc = SockAddr.TryParse(name, namelen, out var ep);
        if (rc != 0) return rc;
        if (SockAddr.Family(name) != Family) return Ws2Spi.WSAEAFNOSUPPORT;
        if (sendLength > 0 && (sendBuffer is null || sendLength > sendBuffer.Length)) return Ws2Spi.WSAEFAULT;
        lock (Gate)
        {
            if (_closed) return Ws2Spi.WSAENOTSOCK;
            if (IsDatagram || _listening || _disconnected) return Ws2Spi.WSAEINVAL;
            if (_conn == ConnState.Connected) return Ws2Spi.WSAEISCONN;
            if (_conn == ConnState.Connecting) return Ws2Spi.WSAEALREADY;
            if (!_bound) return Ws2Spi.WSAEINVAL;
            if (ep!.Port == 0 || ep.Address.Equals(IPAddress.Any) || ep.Address.Equals(IPAddress.IPv6Any)) return Ws2Spi.WSAEADDRNOTAVAIL;
            var io = new IoRequest([], 0, 0, ov, null, threadId);
            int result = SocketCalls.Connect(_handle, LinuxSockAddr.ToLinux(ep), out int err);
            int code = result == 0 || err == Errno.EINPROGRESS ? 0 : Errno.ToWinsock(err);
            if (code != 0 && code != Ws2Spi.WSAECONNREFUSED && code != Ws2Spi.WSAENETUNREACH && code != Ws2Spi.WSAEHOSTUNREACH)
                return code;
            _completion.Pend(io);
            if (code != 0)
            {
                _completion.Complete(io, code, 0, 0); // refused at once: reported through the completion, as a later refusal is
                return Ws2Spi.WSA_IO_PENDING;
            }
            _connectEx = new ConnectExRequest(io, sendBuffer, sendLength);
            if (result == 0) ConnectSucceeded();
            else
            {
                _conn = ConnState.Connecting;
                _connectReported = false;
            }
            if (_conn != ConnState.Connecting) FinishConnectEx();
            return Ws2Spi.WSA_IO_PENDING;
        }
    }

    /// <summary>The connect of a ConnectEx finished (under the lock): its send data goes out, or it fails with the connect's error.</summary>
    private void FinishConnectEx()
    {
        if (_connectEx is not { } request || _conn == ConnState.Connecting) return;
        _connectEx = null;
        if (_conn != ConnState.Connected)
        {
            _conn = ConnState.None;
            _connectReported = true;
            _completion.Complete(request.Io, _connectError == 0 ? Ws2Spi.WSAECONNREFUSED : _connectError, 0, 0);
            return;
        }
        _connectedByConnectEx = true;
        if (request.SendLength == 0)
        {
            _completion.Complete(request.Io, 0, 0, 0);
            return;
        }
        var r = new IoRequest([new WSABUF(request.SendBuffer!, request.SendLength)], 1, 0, request.Io.Overlapped, null, null);
        StartDataStep(_sendQ, r, static (s, r) => s.TrySend(r), _completion);
    }

    /// <summary>
    /// The data step of an AcceptEx (first receive) or ConnectEx (first send), under the lock: tried at once, else
    /// queued as an overlapped request; finished or refused (WSAEWOULDBLOCK past MaxOutstanding), it completes through
    /// <paramref name="completion"/>. True while it waits in the queue.
    /// </summary>
    private bool StartDataStep(OperationQueue queue, IoRequest r, Func<InetSocket, IoRequest, bool> attempt, Completion completion)
    {
        if (queue.TryFirst(this, r, attempt)) completion.Complete(r, r.Error, r.Bytes, 0);
        else if (queue.Pend(r, out int pendError) != 0 && pendError != Ws2Spi.WSA_IO_PENDING) completion.Complete(r, pendError, 0, 0);
        else return true;
        return false;
    }

    /// <summary>closesocket (under the lock): a ConnectEx still connecting completes with WSA_OPERATION_ABORTED.</summary>
    private void AbortConnectEx()
    {
        if (_connectEx is not { } request) return;
        _connectEx = null;
        _completion.Complete(request.Io, Ws2Spi.WSA_OPERATION_ABORTED, 0, 0);
    }

    /// <summary>
    /// DisconnectEx: WSAEINVAL for a reserved value or a flag other than TF_REUSE_SOCKET; WSAENOTCONN unless a connected
    /// stream. Pending receives and sends complete with WSA_OPERATION_ABORTED; the connection is closed gracefully (FIN;
    /// unread data makes it a reset, as closesocket would). Finishes at once: with an overlapped structure the completion
    /// is signalled through it as well.
    /// </summary>
    public int DisconnectEx(WSAOVERLAPPED? ov, uint flags, uint reserved, WSATHREADID? threadId)
    {
        if (reserved != 0 || (flags & ~Ws2Spi.TF_REUSE_SOCKET) != 0) return Ws2Spi.WSAEINVAL;
        lock (Gate)
        {
            if (_closed) return Ws2Spi.WSAENOTSOCK;
            if (!IsStream || _conn != ConnState.Connected) return Ws2Spi.WSAENOTCONN;
            int err = Disconnect(reuse: (flags & Ws2Spi.TF_REUSE_SOCKET) != 0);
            if (err != 0) return err;
            if (ov is not null) _completion.CompleteAtOnce(new IoRequest([], 0, 0, ov, null, threadId), 0, 0);
            return 0;
        }
    }

    /// <summary>Ends the connection (under the lock) and leaves the socket as new (<paramref name="reuse"/>) or only closable.</summary>
    private int Disconnect(bool reuse)
    {
        _recvQ.AbortAll();
        _sendQ.AbortAll();
        try { _os.Shutdown(SocketShutdown.Send); }
        catch (SocketException) { } // already reset: closing it is all that is left
        Socket fresh;
        try
        {
            fresh = new Socket(_os.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (_os.AddressFamily == AddressFamily.InterNetworkV6) fresh.DualMode = false;
            fresh.Blocking = false;
        }
        catch (SocketException e) { return (int)e.SocketErrorCode; }
        int err = AdoptDescriptor(fresh.SafeHandle);
        fresh.Dispose();
        if (err != 0) return err;
        _conn = ConnState.None;
        _bound = _recvShut = _sendShut = _eof = _writeBlocked = _closeSignaled = false;
        _connectReported = true;
        _sockError = _connectError = _pendingSoError = 0;
        _urgentByte = -1;
        _acceptContextPending = _connectedByConnectEx = false;
        _acceptExListener = null;
        _disconnected = !reuse;
        return 0;
    }

    /// <summary>SO_UPDATE_CONNECT_CONTEXT (under the lock): accepted on a socket ConnectEx connected (any value), else WSAENOTCONN.</summary>
    private int UpdateConnectContext() => _connectedByConnectEx && _conn == ConnState.Connected ? 0 : Ws2Spi.WSAENOTCONN;

    /// <summary>
    /// The options of the extension functions (before the generic option checks, since SO_UPDATE_CONNECT_CONTEXT takes no
    /// value): SO_UPDATE_ACCEPT_CONTEXT, SO_UPDATE_CONNECT_CONTEXT, IP_PKTINFO and IPV6_PKTINFO. False for every other option.
    /// </summary>
    private bool TrySetExtensionOption(int level, int optname, byte[]? optval, int optlen, out int error)
    {
        error = 0;
        bool ours = (level == Ws2Spi.SOL_SOCKET && (optname == Ws2Spi.SO_UPDATE_ACCEPT_CONTEXT || optname == Ws2Spi.SO_UPDATE_CONNECT_CONTEXT))
            || (level == Ws2Spi.IPPROTO_IP && optname == Ws2Spi.IP_PKTINFO && Family == Ws2Spi.AF_INET)
            || (level == Ws2Spi.IPPROTO_IPV6 && optname == Ws2Spi.IPV6_PKTINFO && Family == Ws2Spi.AF_INET6);
        if (!ours) return false;
        if (optval is not null && (optlen < 0 || optlen > optval.Length))
        {
            error = Ws2Spi.WSAEFAULT;
            return true;
        }
        lock (Gate)
        {
            if (_closed) error = Ws2Spi.WSAENOTSOCK;
            else if (level == Ws2Spi.SOL_SOCKET)
                error = optname == Ws2Spi.SO_UPDATE_ACCEPT_CONTEXT ? UpdateAcceptContext(optval, optlen) : UpdateConnectContext();
            else error = SetPacketInfo(optval, optlen);
        }
        return true;
    }
}
