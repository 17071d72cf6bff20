using System.Diagnostics;
using static Winsock2.Ws2Spi;
using static Winsock2.Providers.Tracing.TraceFormat;

namespace Winsock2.Providers.Tracing;

/// <summary>Socket lifetime and connection setup: every new socket of the next provider gets a handle of the layer's.</summary>
public sealed partial class TracingProvider
{
    /// <inheritdoc />
    public SOCKET WSPSocket(int af, int type, int protocol, WSAPROTOCOL_INFOW? lpProtocolInfo, uint g, uint dwFlags, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        // The next provider creates its socket for its own entry: the base entry (or, above another layer, the chain).
        var lower = _next.WSPSocket(af, type, protocol, _nextInfo.Clone(), g, dwFlags, out lpErrno);
        var s = lower.IsValid ? Wrap(lower, out lpErrno) : lower;
        _log.Call(t0, $"WSPSocket(af={Af(af)}, type={Type(type)}, protocol={Proto(protocol)}, g={g}, flags={SockFlags(dwFlags)}) "
            + $"{Sock(s, lpErrno)}{(s.IsValid ? $" lower={lower}" : "")}");
        return s;
    }

    /// <inheritdoc />
    public SOCKET WSPAccept(SOCKET s, byte[]? addr, ref int addrlen, LPCONDITIONPROC? lpfnCondition, nuint dwCallbackData, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int lenIn = addrlen;
        SOCKET r = INVALID_SOCKET, lower = INVALID_SOCKET;
        if (Lower(s, out var l, out lpErrno))
        {
            // The condition function is the application's own and sees no handles: it is passed down as it is.
            lower = _next.WSPAccept(l, addr, ref addrlen, lpfnCondition, dwCallbackData, out lpErrno);
            r = lower.IsValid ? Wrap(lower, out lpErrno) : lower;
        }
        _log.Call(t0, $"WSPAccept(s={H(s)}, addrlen={lenIn}, condition={YesNo(lpfnCondition is not null)}) {Sock(r, lpErrno)}"
            + (r.IsValid ? $" lower={lower}" : "") + (r.IsValid && addr is not null ? $" peer={Addr(addr, addrlen)}" : ""));
        return r;
    }

    /// <inheritdoc />
    public SOCKET WSPJoinLeaf(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData, QOS? lpSQOS, QOS? lpGQOS,
        uint dwFlags, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        // Arguments are formatted before the call: the callee buffer's len is rewritten by it.
        string args = $"s={H(s)}, name={Addr(name, namelen)}, caller={Buf(lpCallerData)}, callee={Buf(lpCalleeData)}, "
            + $"sqos={Qos(lpSQOS)}, gqos={Qos(lpGQOS)}, flags={Join(dwFlags)}";
        SOCKET r = INVALID_SOCKET, joined = INVALID_SOCKET;
        if (Lower(s, out var l, out lpErrno))
        {
            joined = _next.WSPJoinLeaf(l, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, dwFlags, out lpErrno);
            // A leaf-initiated join (or a multicast join) returns the socket itself; a root's invitation returns a new one.
            r = !joined.IsValid ? joined : joined == l ? s : Wrap(joined, out lpErrno);
        }
        _log.Call(t0, $"WSPJoinLeaf({args}) {Sock(r, lpErrno)}"
            + (r.IsValid && r != s ? $" lower={joined}" : "") + (r.IsValid && lpCalleeData is not null ? $" calleelen={lpCalleeData.len}" : ""));
        return r;
    }

    /// <summary>
    /// Closes the next provider's socket, then releases the layer's handle. If the next provider refuses (for example
    /// WSAEWOULDBLOCK for a lingering nonblocking close) the handle stays, as the socket does; if its socket is already
    /// gone (WSAENOTSOCK: the last WSACleanup closes every handle, lower ones included) the layer's handle is released.
    /// </summary>
    public int WSPCloseSocket(SOCKET s, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int rc = SOCKET_ERROR;
        if (Lower(s, out var l, out lpErrno))
        {
            rc = _next.WSPCloseSocket(l, out lpErrno);
            if (rc == 0 || lpErrno == WSAENOTSOCK)
            {
                _sockets.Remove(l);
                rc = _upcalls.WPUCloseSocketHandle(s, out lpErrno);
            }
        }
        _log.Call(t0, $"WSPCloseSocket(s={H(s)}) {Rc(rc, lpErrno)}");
        return rc;
    }

    /// <inheritdoc />
    public int WSPBind(SOCKET s, byte[] name, int namelen, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int rc = Lower(s, out var l, out lpErrno) ? _next.WSPBind(l, name, namelen, out lpErrno) : SOCKET_ERROR;
        _log.Call(t0, $"WSPBind(s={H(s)}, name={Addr(name, namelen)}, namelen={namelen}) {Rc(rc, lpErrno)}");
        return rc;
    }

    /// <inheritdoc />
    public int WSPListen(SOCKET s, int backlog, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int rc = Lower(s, out var l, out lpErrno) ? _next.WSPListen(l, backlog, out lpErrno) : SOCKET_ERROR;
        _log.Call(t0, $"WSPListen(s={H(s)}, backlog={backlog}) {Rc(rc, lpErrno)}");
        return rc;
    }

    /// <inheritdoc />
    public int WSPConnect(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData, QOS? lpSQOS, QOS? lpGQOS, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        string args = $"s={H(s)}, name={Addr(name, namelen)}, caller={Buf(lpCallerData)}, callee={Buf(lpCalleeData)}, "
            + $"sqos={Qos(lpSQOS)}, gqos={Qos(lpGQOS)}";
        int rc = Lower(s, out var l, out lpErrno)
            ? _next.WSPConnect(l, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, out lpErrno) : SOCKET_ERROR;
        _log.Call(t0, $"WSPConnect({args}) {Rc(rc, lpErrno)}{(rc == 0 && lpCalleeData is not null ? $" calleelen={lpCalleeData.len}" : "")}");
        return rc;
    }

    /// <inheritdoc />
    public int WSPShutdown(SOCKET s, int how, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int rc = Lower(s, out var l, out lpErrno) ? _next.WSPShutdown(l, how, out lpErrno) : SOCKET_ERROR;
        _log.Call(t0, $"WSPShutdown(s={H(s)}, how={How(how)}) {Rc(rc, lpErrno)}");
        return rc;
    }

    /// <inheritdoc />
    public int WSPRecvDisconnect(SOCKET s, WSABUF? lpInboundDisconnectData, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int rc = Lower(s, out var l, out lpErrno) ? _next.WSPRecvDisconnect(l, lpInboundDisconnectData, out lpErrno) : SOCKET_ERROR;
        _log.Call(t0, $"WSPRecvDisconnect(s={H(s)}, data={Buf(lpInboundDisconnectData)}) {Rc(rc, lpErrno)}");
        return rc;
    }

    /// <inheritdoc />
    public int WSPSendDisconnect(SOCKET s, WSABUF? lpOutboundDisconnectData, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int rc = Lower(s, out var l, out lpErrno) ? _next.WSPSendDisconnect(l, lpOutboundDisconnectData, out lpErrno) : SOCKET_ERROR;
        _log.Call(t0, $"WSPSendDisconnect(s={H(s)}, data={Buf(lpOutboundDisconnectData)}) {Rc(rc, lpErrno)}");
        return rc;
    }

    /// <summary>
    /// Forwarded; on success the description names the chain entry (not the next provider's), so the target process
    /// creates its socket through the layer again.
    /// </summary>
    public int WSPDuplicateSocket(SOCKET s, uint dwProcessId, WSAPROTOCOL_INFOW lpProtocolInfo, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int rc = Lower(s, out var l, out lpErrno) ? _next.WSPDuplicateSocket(l, dwProcessId, lpProtocolInfo, out lpErrno) : SOCKET_ERROR;
        if (rc == 0 && lpProtocolInfo is not null)
        {
            lpProtocolInfo.dwCatalogEntryId = _chainInfo.dwCatalogEntryId;
            lpProtocolInfo.ProviderId = _chainInfo.ProviderId;
            lpProtocolInfo.ProtocolChain = _chainInfo.Clone().ProtocolChain;
        }
        _log.Call(t0, $"WSPDuplicateSocket(s={H(s)}, pid={dwProcessId}) {Rc(rc, lpErrno)}");
        return rc;
    }
}
