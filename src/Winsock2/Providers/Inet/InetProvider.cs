using System.Net;
using System.Net.Sockets;
using Winsock2.Providers.Shared;
using Winsock2.Runtime;

namespace Winsock2.Providers.Inet;

/// <summary>
/// The base provider: TCP and UDP over System.Net.Sockets. A non-IFS provider: every handle comes from
/// WPUCreateSocketHandle, every call finds its socket through WPUQuerySocketHandleContext.
/// </summary>
public sealed class InetProvider : IWSPProvider, WSPPROC_TABLE
{
    private WSPUPCALLTABLE _upcalls = null!;
    private int _starts;

    /// <inheritdoc />
    public int WSPStartup(ushort wVersionRequested, out WSPDATA lpWSPData, WSAPROTOCOL_INFOW lpProtocolInfo,
        WSPUPCALLTABLE UpcallTable, out WSPPROC_TABLE? lpProcTable)
    {
        lpWSPData = new WSPDATA { wVersion = 0x0202, wHighVersion = 0x0202, szDescription = "Winsock2.NET TCP/UDP provider" };
        lpProcTable = null;
        if ((wVersionRequested & 0xFF) < 2 || UpcallTable is null) return Ws2_32.WSAVERNOTSUPPORTED;
        _upcalls = UpcallTable;
        Interlocked.Increment(ref _starts);
        lpProcTable = this;
        return 0;
    }

    /// <inheritdoc />
    public int WSPCleanup(out int lpErrno)
    {
        if (Interlocked.Decrement(ref _starts) < 0)
        {
            Interlocked.Increment(ref _starts);
            lpErrno = Ws2_32.WSANOTINITIALISED;
            return Ws2_32.SOCKET_ERROR;
        }
        lpErrno = 0;
        return 0;
    }

    private bool TryGet(SOCKET s, out InetSocket sock, out int errno)
    {
        sock = null!;
        if (_upcalls.WPUQuerySocketHandleContext(s, out var ctx, out errno) != 0 || ctx is not InetSocket ins)
        {
            errno = Ws2_32.WSAENOTSOCK;
            return false;
        }
        sock = ins;
        return true;
    }

    /// <summary>Runs one socket call; an error becomes SOCKET_ERROR with lpErrno, an exception WSASYSCALLFAILURE.</summary>
    private int Run(SOCKET s, out int errno, Func<InetSocket, int> call)
    {
        try
        {
            if (!TryGet(s, out var sock, out errno)) return Ws2_32.SOCKET_ERROR;
            errno = call(sock);
            return errno == 0 ? 0 : Ws2_32.SOCKET_ERROR;
        }
        catch (Exception e)
        {
            return Fail(e, out errno);
        }
    }

    private static int Fail(Exception e, out int errno)
    {
        errno = e is SocketException se ? (int)se.SocketErrorCode : Ws2_32.WSASYSCALLFAILURE;
        if (e is not SocketException) Diagnostics.CallbackFailed("Inet provider", e);
        return Ws2_32.SOCKET_ERROR;
    }

    /// <inheritdoc />
    public SOCKET WSPSocket(int af, int type, int protocol, WSAPROTOCOL_INFOW? lpProtocolInfo, uint g, uint dwFlags, out int lpErrno)
    {
        try
        {
            if (lpProtocolInfo is null) { lpErrno = Ws2_32.WSAEINVAL; return SOCKET.Invalid; }
            if ((dwFlags & (Ws2_32.WSA_FLAG_MULTIPOINT_C_ROOT | Ws2_32.WSA_FLAG_MULTIPOINT_D_ROOT)) != 0)
            {
                lpErrno = Ws2_32.WSAEINVAL; // IP multicast has no root
                return SOCKET.Invalid;
            }
            var family = lpProtocolInfo.iAddressFamily == Ws2_32.AF_INET6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
            bool stream = lpProtocolInfo.iSocketType == Ws2_32.SOCK_STREAM;
            var os = new Socket(family, stream ? SocketType.Stream : SocketType.Dgram, stream ? ProtocolType.Tcp : ProtocolType.Udp);
            if (family == AddressFamily.InterNetworkV6) os.DualMode = false; // Windows' default: IPV6_V6ONLY
            var sock = new InetSocket(_upcalls, lpProtocolInfo.Clone(), dwFlags, os);
            var handle = _upcalls.WPUCreateSocketHandle(lpProtocolInfo.dwCatalogEntryId, sock, out lpErrno);
            if (!handle.IsValid)
            {
                sock.Close();
                return SOCKET.Invalid;
            }
            sock.AttachHandle(handle);
            return handle;
        }
        catch (Exception e)
        {
            Fail(e, out lpErrno);
            if (lpErrno == Ws2_32.WSASYSCALLFAILURE) lpErrno = Ws2_32.WSAENOBUFS;
            return SOCKET.Invalid;
        }
    }

    /// <summary>Wraps an accepted connection as a new socket of the listener's kind.</summary>
    internal SOCKET Adopt(InetSocket listener, Socket conn, out int errno)
    {
        var sock = new InetSocket(_upcalls, listener.Info, listener.Flags, conn);
        var handle = _upcalls.WPUCreateSocketHandle(listener.Info.dwCatalogEntryId, sock, out errno);
        if (!handle.IsValid)
        {
            sock.Close();
            return SOCKET.Invalid;
        }
        sock.AttachHandle(handle);
        sock.InitAccepted(listener);
        return handle;
    }

    /// <inheritdoc />
    public SOCKET WSPAccept(SOCKET s, byte[]? addr, ref int addrlen, LPCONDITIONPROC? lpfnCondition, nuint dwCallbackData, out int lpErrno)
    {
        try
        {
            if (!TryGet(s, out var sock, out lpErrno)) return SOCKET.Invalid;
            return sock.Accept(this, addr, ref addrlen, lpfnCondition, dwCallbackData, out lpErrno);
        }
        catch (Exception e)
        {
            Fail(e, out lpErrno);
            return SOCKET.Invalid;
        }
    }

    /// <inheritdoc />
    public int WSPAddressToString(byte[] lpsaAddress, int dwAddressLength, WSAPROTOCOL_INFOW? lpProtocolInfo, out string lpszAddressString, out int lpErrno)
    {
        lpszAddressString = "";
        lpErrno = SockAddr.TryParse(lpsaAddress, dwAddressLength, out var ep);
        if (lpErrno != 0) return Ws2_32.SOCKET_ERROR;
        lpszAddressString = ep!.Port == 0 ? ep.Address.ToString() : ep.ToString();
        return 0;
    }

    /// <inheritdoc />
    public int WSPStringToAddress(string AddressString, int AddressFamily, WSAPROTOCOL_INFOW? lpProtocolInfo, byte[] lpAddress,
        ref int lpAddressLength, out int lpErrno)
    {
        IPEndPoint? ep = null;
        if (AddressString is not null)
        {
            if (IPEndPoint.TryParse(AddressString, out var parsed)) ep = parsed;
            else if (IPAddress.TryParse(AddressString, out var a)) ep = new IPEndPoint(a, 0);
        }
        if (ep is null || (AddressFamily != Ws2_32.AF_UNSPEC && SockAddr.FamilyOf(ep.AddressFamily) != AddressFamily))
        {
            lpErrno = Ws2_32.WSAEINVAL;
            return Ws2_32.SOCKET_ERROR;
        }
        lpErrno = SockAddr.Write(ep, lpAddress, ref lpAddressLength);
        return lpErrno == 0 ? 0 : Ws2_32.SOCKET_ERROR;
    }

    /// <inheritdoc />
    public int WSPAsyncSelect(SOCKET s, HWND? hWnd, uint wMsg, int lEvent, out int lpErrno) =>
        Run(s, out lpErrno, x => x.Select(default, hWnd, wMsg, lEvent, byWindow: true));

    /// <inheritdoc />
    public int WSPEventSelect(SOCKET s, WSAEVENT hEventObject, int lNetworkEvents, out int lpErrno) =>
        Run(s, out lpErrno, x => x.Select(hEventObject, null, 0, lNetworkEvents, byWindow: false));

    /// <inheritdoc />
    public int WSPEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, WSANETWORKEVENTS lpNetworkEvents, out int lpErrno) =>
        lpNetworkEvents is null ? Error(Ws2_32.WSAEFAULT, out lpErrno) : Run(s, out lpErrno, x => x.EnumEvents(hEventObject, lpNetworkEvents));

    private static int Error(int code, out int errno)
    {
        errno = code;
        return Ws2_32.SOCKET_ERROR;
    }

    /// <inheritdoc />
    public int WSPBind(SOCKET s, byte[] name, int namelen, out int lpErrno) => Run(s, out lpErrno, x => x.Bind(name, namelen));

    /// <inheritdoc />
    public int WSPListen(SOCKET s, int backlog, out int lpErrno) => Run(s, out lpErrno, x => x.Listen(backlog));

    /// <inheritdoc />
    public int WSPConnect(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData, QOS? lpSQOS, QOS? lpGQOS, out int lpErrno) =>
        Run(s, out lpErrno, x => x.Connect(name, namelen, lpCallerData, lpCalleeData, lpSQOS));

    /// <inheritdoc />
    public int WSPCancelBlockingCall(out int lpErrno)
    {
        var ctx = ThreadContext.Current;
        if (ctx.BlockingDepth == 0) return Error(Ws2_32.WSAEINVAL, out lpErrno);
        ctx.CancelBlocking = true;
        ctx.Waiter.Wake();
        lpErrno = 0;
        return 0;
    }

    /// <inheritdoc />
    public int WSPCloseSocket(SOCKET s, out int lpErrno)
    {
        try
        {
            if (!TryGet(s, out var sock, out lpErrno)) return Ws2_32.SOCKET_ERROR;
            sock.Close();
            _upcalls.WPUCloseSocketHandle(s, out lpErrno);
            return lpErrno == 0 ? 0 : Ws2_32.SOCKET_ERROR;
        }
        catch (Exception e)
        {
            return Fail(e, out lpErrno);
        }
    }

    /// <inheritdoc />
    public int WSPDuplicateSocket(SOCKET s, uint dwProcessId, WSAPROTOCOL_INFOW lpProtocolInfo, out int lpErrno) =>
        // Descriptors cannot cross into another process here: there is no shared kernel object to hand over.
        Run(s, out lpErrno, _ => Ws2_32.WSAEOPNOTSUPP);

    /// <inheritdoc />
    public bool WSPGetOverlappedResult(SOCKET s, WSAOVERLAPPED lpOverlapped, out uint lpcbTransfer, bool fWait, out uint lpdwFlags, out int lpErrno)
    {
        lpcbTransfer = 0;
        lpdwFlags = 0;
        try
        {
            if (!TryGet(s, out _, out lpErrno)) return false;
            return OverlappedResult.Get(lpOverlapped, out lpcbTransfer, fWait, out lpdwFlags, out lpErrno);
        }
        catch (Exception e)
        {
            Fail(e, out lpErrno);
            return false;
        }
    }

    /// <inheritdoc />
    public int WSPGetPeerName(SOCKET s, byte[] name, ref int namelen, out int lpErrno)
    {
        int len = namelen;
        int rc = Run(s, out lpErrno, x => x.GetPeerName(name, ref len));
        namelen = len;
        return rc;
    }

    /// <inheritdoc />
    public int WSPGetSockName(SOCKET s, byte[] name, ref int namelen, out int lpErrno)
    {
        int len = namelen;
        int rc = Run(s, out lpErrno, x => x.GetSockName(name, ref len));
        namelen = len;
        return rc;
    }

    /// <inheritdoc />
    public int WSPGetSockOpt(SOCKET s, int level, int optname, byte[] optval, ref int optlen, out int lpErrno)
    {
        int len = optlen;
        int rc = Run(s, out lpErrno, x => x.GetOption(level, optname, optval, ref len));
        optlen = len;
        return rc;
    }

    /// <inheritdoc />
    public int WSPSetSockOpt(SOCKET s, int level, int optname, byte[]? optval, int optlen, out int lpErrno) =>
        Run(s, out lpErrno, x => x.SetOption(level, optname, optval, optlen));

    /// <inheritdoc />
    public bool WSPGetQOSByName(SOCKET s, WSABUF lpQOSName, QOS lpQOS, out int lpErrno)
    {
        Run(s, out lpErrno, _ => Ws2_32.WSAEINVAL); // no QoS templates on TCP/UDP
        return false;
    }

    /// <inheritdoc />
    public int WSPIoctl(SOCKET s, uint dwIoControlCode, byte[]? lpvInBuffer, uint cbInBuffer, byte[]? lpvOutBuffer, uint cbOutBuffer,
        out uint lpcbBytesReturned, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno)
    {
        uint returned = 0;
        int rc = Run(s, out lpErrno, x =>
        {
            int err = x.Ioctl(dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, out returned);
            if (err == 0 && (lpOverlapped is not null || lpCompletionRoutine is not null))
                OverlappedResult.CompleteImmediately(_upcalls, lpOverlapped, lpCompletionRoutine, lpThreadId, (int)returned);
            return err;
        });
        lpcbBytesReturned = returned;
        return rc;
    }

    /// <inheritdoc />
    public SOCKET WSPJoinLeaf(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData, QOS? lpSQOS, QOS? lpGQOS,
        uint dwFlags, out int lpErrno)
    {
        // Nonrooted (IP multicast): the leaf joins with its own socket, which is the result.
        int rc = Run(s, out lpErrno, x => x.JoinLeaf(name, namelen, lpCallerData, lpCalleeData, lpSQOS, dwFlags));
        return rc == 0 ? s : SOCKET.Invalid;
    }

    /// <inheritdoc />
    public int WSPRecv(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesRecvd, ref uint lpFlags,
        WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine, WSATHREADID? lpThreadId, out int lpErrno)
    {
        int fromlen = 0;
        return WSPRecvFrom(s, lpBuffers, dwBufferCount, out lpNumberOfBytesRecvd, ref lpFlags, null, ref fromlen,
            lpOverlapped, lpCompletionRoutine, lpThreadId, out lpErrno);
    }

    /// <inheritdoc />
    public int WSPRecvFrom(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesRecvd, ref uint lpFlags,
        byte[]? lpFrom, ref int lpFromlen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno)
    {
        lpNumberOfBytesRecvd = 0;
        try
        {
            if (!TryGet(s, out var sock, out lpErrno)) return Ws2_32.SOCKET_ERROR;
            if (!BuffersValid(lpBuffers, dwBufferCount)) return Error(Ws2_32.WSAEFAULT, out lpErrno);
            return sock.Receive(lpBuffers, dwBufferCount, out lpNumberOfBytesRecvd, ref lpFlags, lpFrom, ref lpFromlen,
                lpOverlapped, lpCompletionRoutine, lpThreadId, out lpErrno);
        }
        catch (Exception e)
        {
            return Fail(e, out lpErrno);
        }
    }

    internal static bool BuffersValid(WSABUF[]? buffers, uint count)
    {
        if (buffers is null || count > (uint)buffers.Length) return false;
        for (int i = 0; i < count; i++)
            if (buffers[i] is null || !buffers[i].IsValid) return false;
        return true;
    }

    /// <inheritdoc />
    public int WSPRecvDisconnect(SOCKET s, WSABUF? lpInboundDisconnectData, out int lpErrno) =>
        lpInboundDisconnectData is { len: > 0 } ? Run(s, out lpErrno, _ => Ws2_32.WSAENOPROTOOPT)
            : Run(s, out lpErrno, x => x.Shutdown(Ws2_32.SD_RECEIVE));

    /// <inheritdoc />
    public int WSPSendDisconnect(SOCKET s, WSABUF? lpOutboundDisconnectData, out int lpErrno) =>
        lpOutboundDisconnectData is { len: > 0 } ? Run(s, out lpErrno, _ => Ws2_32.WSAENOPROTOOPT)
            : Run(s, out lpErrno, x => x.Shutdown(Ws2_32.SD_SEND));

    /// <inheritdoc />
    public int WSPSelect(int nfds, fd_set? readfds, fd_set? writefds, fd_set? exceptfds, timeval? timeout, out int lpErrno)
    {
        try
        {
            return InetSelect.Run(this, readfds, writefds, exceptfds, timeout, out lpErrno);
        }
        catch (Exception e)
        {
            return Fail(e, out lpErrno);
        }
    }

    internal bool Resolve(SOCKET s, out InetSocket sock) => TryGet(s, out sock, out _);

    /// <inheritdoc />
    public int WSPSend(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesSent, uint dwFlags,
        WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine, WSATHREADID? lpThreadId, out int lpErrno) =>
        WSPSendTo(s, lpBuffers, dwBufferCount, out lpNumberOfBytesSent, dwFlags, null, 0, lpOverlapped, lpCompletionRoutine, lpThreadId, out lpErrno);

    /// <inheritdoc />
    public int WSPSendTo(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesSent, uint dwFlags,
        byte[]? lpTo, int iTolen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno)
    {
        lpNumberOfBytesSent = 0;
        try
        {
            if (!TryGet(s, out var sock, out lpErrno)) return Ws2_32.SOCKET_ERROR;
            if (!BuffersValid(lpBuffers, dwBufferCount)) return Error(Ws2_32.WSAEFAULT, out lpErrno);
            return sock.Send(lpBuffers, dwBufferCount, out lpNumberOfBytesSent, dwFlags, lpTo, iTolen,
                lpOverlapped, lpCompletionRoutine, lpThreadId, out lpErrno);
        }
        catch (Exception e)
        {
            return Fail(e, out lpErrno);
        }
    }

    /// <inheritdoc />
    public int WSPShutdown(SOCKET s, int how, out int lpErrno) => Run(s, out lpErrno, x => x.Shutdown(how));
}
