using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Spi;

/// <summary>
/// A layered service provider (LSP) written as a third party would: it finds itself in the chain by its layered
/// entry's catalog id, loads the next provider with WPUGetProviderPath and WSPStartup (the base provider with the
/// base entry's own WSAPROTOCOL_INFOW, a further layer with the unchanged chain entry), passes the upcall table on
/// unchanged, makes its own handles with WPUCreateSocketHandle, and forwards every call, counting them.
/// </summary>
public sealed class CountingLayer : IWSPProvider, WSPPROC_TABLE
{
    /// <summary>The provider id the layered entry is installed under.</summary>
    public static readonly Guid LayerId = new("5d0c3b1e-7a52-4f6e-b1c9-0a8e6f4d2c17");

    public static int Startups, Cleanups, Sockets, Binds, Listens, Accepts, Connects, Sends, Recvs, Closes, Selects;
    public static SOCKET LastLowerSocket;

    public static void Reset()
    {
        Startups = Cleanups = Sockets = Binds = Listens = Accepts = Connects = Sends = Recvs = Closes = Selects = 0;
        LastLowerSocket = INVALID_SOCKET;
    }

    private sealed record LayerSocket(SOCKET Lower);

    private WSPUPCALLTABLE _upcalls = null!;
    private WSAPROTOCOL_INFOW _chainInfo = null!;
    private WSAPROTOCOL_INFOW _nextInfo = null!;
    private WSPPROC_TABLE _next = null!;

    private static int Error(int code, out int errno)
    {
        errno = code;
        return SOCKET_ERROR;
    }

    private static WSAPROTOCOL_INFOW[] Catalog()
    {
        uint len = 0;
        WSCEnumProtocols(null, null, ref len, out _);
        var buf = new WSAPROTOCOL_INFOW[len / WSAPROTOCOL_INFOW.Size];
        int n = WSCEnumProtocols(null, buf, ref len, out _);
        return n < 0 ? [] : buf[..n];
    }

    public int WSPStartup(ushort wVersionRequested, out WSPDATA lpWSPData, WSAPROTOCOL_INFOW lpProtocolInfo,
        WSPUPCALLTABLE UpcallTable, out WSPPROC_TABLE? lpProcTable)
    {
        lpWSPData = new WSPDATA { wVersion = 0x0202, wHighVersion = 0x0202, szDescription = "counting layer" };
        lpProcTable = null;
        if ((wVersionRequested & 0xFF) < 2) return WSAVERNOTSUPPORTED;
        var catalog = Catalog();
        var me = Array.Find(catalog, e => e.ProviderId == LayerId && e.ProtocolChain.ChainLen == LAYERED_PROTOCOL);
        var chain = lpProtocolInfo.ProtocolChain;
        int at = me is null ? -1 : Array.IndexOf(chain.ChainEntries, me.dwCatalogEntryId, 0, Math.Max(0, chain.ChainLen));
        if (at < 0 || at + 1 >= chain.ChainLen) return WSAEINVALIDPROVIDER;
        uint nextId = chain.ChainEntries[at + 1];
        var nextEntry = Array.Find(catalog, e => e.dwCatalogEntryId == nextId);
        if (nextEntry is null) return WSAEINVALIDPROVIDER;
        bool nextIsBase = at + 1 == chain.ChainLen - 1;
        if (UpcallTable.WPUGetProviderPath(nextEntry.ProviderId, out string path, out int errno) != 0) return errno;
        if (ProviderModule.Create(path, out _) is not { } next) return WSAEPROVIDERFAILEDINIT;
        var nextInfo = nextIsBase ? nextEntry : lpProtocolInfo;
        int rc = next.WSPStartup(0x0202, out _, nextInfo, UpcallTable, out var table);
        if (rc != 0) return rc;
        if (table is null) return WSAEINVALIDPROCTABLE;
        _upcalls = UpcallTable;
        _chainInfo = lpProtocolInfo.Clone();
        _nextInfo = nextInfo;
        _next = table;
        Interlocked.Increment(ref Startups);
        lpProcTable = this;
        return 0;
    }

    public int WSPCleanup(out int lpErrno)
    {
        Interlocked.Increment(ref Cleanups);
        return _next.WSPCleanup(out lpErrno);
    }

    private bool Lower(SOCKET s, out SOCKET lower, out int errno)
    {
        lower = INVALID_SOCKET;
        if (_upcalls.WPUQuerySocketHandleContext(s, out var ctx, out errno) != 0 || ctx is not LayerSocket ls)
        {
            errno = WSAENOTSOCK;
            return false;
        }
        lower = ls.Lower;
        return true;
    }

    /// <summary>Gives the application a handle of the layer's own for a socket of the next provider.</summary>
    private SOCKET Wrap(SOCKET lower, out int errno)
    {
        var h = _upcalls.WPUCreateSocketHandle(_chainInfo.dwCatalogEntryId, new LayerSocket(lower), out errno);
        if (!h.IsValid) _next.WSPCloseSocket(lower, out _);
        return h;
    }

    public SOCKET WSPSocket(int af, int type, int protocol, WSAPROTOCOL_INFOW? lpProtocolInfo, uint g, uint dwFlags, out int lpErrno)
    {
        Interlocked.Increment(ref Sockets);
        var lower = _next.WSPSocket(af, type, protocol, _nextInfo.Clone(), g, dwFlags, out lpErrno);
        if (!lower.IsValid) return lower;
        LastLowerSocket = lower;
        return Wrap(lower, out lpErrno);
    }

    public SOCKET WSPAccept(SOCKET s, byte[]? addr, ref int addrlen, LPCONDITIONPROC? lpfnCondition, nuint dwCallbackData, out int lpErrno)
    {
        Interlocked.Increment(ref Accepts);
        if (!Lower(s, out var l, out lpErrno)) return INVALID_SOCKET;
        var lower = _next.WSPAccept(l, addr, ref addrlen, lpfnCondition, dwCallbackData, out lpErrno);
        return lower.IsValid ? Wrap(lower, out lpErrno) : lower;
    }

    public int WSPCloseSocket(SOCKET s, out int lpErrno)
    {
        Interlocked.Increment(ref Closes);
        if (!Lower(s, out var l, out lpErrno)) return SOCKET_ERROR;
        _next.WSPCloseSocket(l, out _);
        return _upcalls.WPUCloseSocketHandle(s, out lpErrno);
    }

    public int WSPBind(SOCKET s, byte[] name, int namelen, out int lpErrno)
    {
        Interlocked.Increment(ref Binds);
        return Lower(s, out var l, out lpErrno) ? _next.WSPBind(l, name, namelen, out lpErrno) : SOCKET_ERROR;
    }

    public int WSPListen(SOCKET s, int backlog, out int lpErrno)
    {
        Interlocked.Increment(ref Listens);
        return Lower(s, out var l, out lpErrno) ? _next.WSPListen(l, backlog, out lpErrno) : SOCKET_ERROR;
    }

    public int WSPConnect(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData, QOS? lpSQOS, QOS? lpGQOS, out int lpErrno)
    {
        Interlocked.Increment(ref Connects);
        return Lower(s, out var l, out lpErrno)
            ? _next.WSPConnect(l, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, out lpErrno) : SOCKET_ERROR;
    }

    public int WSPSend(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesSent, uint dwFlags,
        WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine, WSATHREADID? lpThreadId, out int lpErrno)
    {
        Interlocked.Increment(ref Sends);
        lpNumberOfBytesSent = 0;
        return Lower(s, out var l, out lpErrno)
            ? _next.WSPSend(l, lpBuffers, dwBufferCount, out lpNumberOfBytesSent, dwFlags, lpOverlapped, lpCompletionRoutine, lpThreadId, out lpErrno)
            : SOCKET_ERROR;
    }

    public int WSPSendTo(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesSent, uint dwFlags,
        byte[]? lpTo, int iTolen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno)
    {
        Interlocked.Increment(ref Sends);
        lpNumberOfBytesSent = 0;
        return Lower(s, out var l, out lpErrno)
            ? _next.WSPSendTo(l, lpBuffers, dwBufferCount, out lpNumberOfBytesSent, dwFlags, lpTo, iTolen, lpOverlapped, lpCompletionRoutine,
                lpThreadId, out lpErrno)
            : SOCKET_ERROR;
    }

    public int WSPRecv(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesRecvd, ref uint lpFlags,
        WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine, WSATHREADID? lpThreadId, out int lpErrno)
    {
        Interlocked.Increment(ref Recvs);
        lpNumberOfBytesRecvd = 0;
        return Lower(s, out var l, out lpErrno)
            ? _next.WSPRecv(l, lpBuffers, dwBufferCount, out lpNumberOfBytesRecvd, ref lpFlags, lpOverlapped, lpCompletionRoutine, lpThreadId, out lpErrno)
            : SOCKET_ERROR;
    }

    public int WSPRecvFrom(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesRecvd, ref uint lpFlags,
        byte[]? lpFrom, ref int lpFromlen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno)
    {
        Interlocked.Increment(ref Recvs);
        lpNumberOfBytesRecvd = 0;
        return Lower(s, out var l, out lpErrno)
            ? _next.WSPRecvFrom(l, lpBuffers, dwBufferCount, out lpNumberOfBytesRecvd, ref lpFlags, lpFrom, ref lpFromlen, lpOverlapped,
                lpCompletionRoutine, lpThreadId, out lpErrno)
            : SOCKET_ERROR;
    }

    /// <summary>select: the layer's handles are swapped for the next provider's and back.</summary>
    public int WSPSelect(int nfds, fd_set? readfds, fd_set? writefds, fd_set? exceptfds, timeval? timeout, out int lpErrno)
    {
        Interlocked.Increment(ref Selects);
        var up = new Dictionary<SOCKET, SOCKET>();
        int errno = 0;
        fd_set? Down(fd_set? set)
        {
            if (set is null) return null;
            var d = new fd_set();
            for (int i = 0; i < set.fd_count; i++)
            {
                if (!Lower(set.fd_array[i], out var l, out errno)) return null;
                up[l] = set.fd_array[i];
                FD_SET(l, d);
            }
            return d;
        }
        void Up(fd_set? set, fd_set? d)
        {
            if (set is null || d is null) return;
            FD_ZERO(set);
            for (int i = 0; i < d.fd_count; i++) FD_SET(up[d.fd_array[i]], set);
        }
        fd_set? r = Down(readfds), w = Down(writefds), e = Down(exceptfds);
        if (errno != 0) return Error(errno, out lpErrno);
        int rc = _next.WSPSelect(nfds, r, w, e, timeout, out lpErrno);
        if (rc != SOCKET_ERROR)
        {
            Up(readfds, r);
            Up(writefds, w);
            Up(exceptfds, e);
        }
        return rc;
    }

    // The rest are forwarded unchanged (the handle swapped for the next provider's).

    public int WSPAddressToString(byte[] lpsaAddress, int dwAddressLength, WSAPROTOCOL_INFOW? lpProtocolInfo, out string lpszAddressString, out int lpErrno) =>
        _next.WSPAddressToString(lpsaAddress, dwAddressLength, _nextInfo, out lpszAddressString, out lpErrno);

    public int WSPStringToAddress(string AddressString, int AddressFamily, WSAPROTOCOL_INFOW? lpProtocolInfo, byte[] lpAddress,
        ref int lpAddressLength, out int lpErrno) =>
        _next.WSPStringToAddress(AddressString, AddressFamily, _nextInfo, lpAddress, ref lpAddressLength, out lpErrno);

    public int WSPAsyncSelect(SOCKET s, HWND? hWnd, uint wMsg, int lEvent, out int lpErrno) =>
        Lower(s, out var l, out lpErrno) ? _next.WSPAsyncSelect(l, hWnd, wMsg, lEvent, out lpErrno) : SOCKET_ERROR;

    public int WSPCancelBlockingCall(out int lpErrno) => _next.WSPCancelBlockingCall(out lpErrno);

    public int WSPDuplicateSocket(SOCKET s, uint dwProcessId, WSAPROTOCOL_INFOW lpProtocolInfo, out int lpErrno) =>
        Lower(s, out var l, out lpErrno) ? _next.WSPDuplicateSocket(l, dwProcessId, lpProtocolInfo, out lpErrno) : SOCKET_ERROR;

    public int WSPEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, WSANETWORKEVENTS lpNetworkEvents, out int lpErrno) =>
        Lower(s, out var l, out lpErrno) ? _next.WSPEnumNetworkEvents(l, hEventObject, lpNetworkEvents, out lpErrno) : SOCKET_ERROR;

    public int WSPEventSelect(SOCKET s, WSAEVENT hEventObject, int lNetworkEvents, out int lpErrno) =>
        Lower(s, out var l, out lpErrno) ? _next.WSPEventSelect(l, hEventObject, lNetworkEvents, out lpErrno) : SOCKET_ERROR;

    public bool WSPGetOverlappedResult(SOCKET s, WSAOVERLAPPED lpOverlapped, out uint lpcbTransfer, bool fWait, out uint lpdwFlags, out int lpErrno)
    {
        lpcbTransfer = 0;
        lpdwFlags = 0;
        return Lower(s, out var l, out lpErrno) && _next.WSPGetOverlappedResult(l, lpOverlapped, out lpcbTransfer, fWait, out lpdwFlags, out lpErrno);
    }

    public int WSPGetPeerName(SOCKET s, byte[] name, ref int namelen, out int lpErrno) =>
        Lower(s, out var l, out lpErrno) ? _next.WSPGetPeerName(l, name, ref namelen, out lpErrno) : SOCKET_ERROR;

    public int WSPGetSockName(SOCKET s, byte[] name, ref int namelen, out int lpErrno) =>
        Lower(s, out var l, out lpErrno) ? _next.WSPGetSockName(l, name, ref namelen, out lpErrno) : SOCKET_ERROR;

    public int WSPGetSockOpt(SOCKET s, int level, int optname, byte[] optval, ref int optlen, out int lpErrno) =>
        Lower(s, out var l, out lpErrno) ? _next.WSPGetSockOpt(l, level, optname, optval, ref optlen, out lpErrno) : SOCKET_ERROR;

    public int WSPSetSockOpt(SOCKET s, int level, int optname, byte[]? optval, int optlen, out int lpErrno) =>
        Lower(s, out var l, out lpErrno) ? _next.WSPSetSockOpt(l, level, optname, optval, optlen, out lpErrno) : SOCKET_ERROR;

    public bool WSPGetQOSByName(SOCKET s, WSABUF lpQOSName, QOS lpQOS, out int lpErrno) =>
        Lower(s, out var l, out lpErrno) && _next.WSPGetQOSByName(l, lpQOSName, lpQOS, out lpErrno);

    public int WSPIoctl(SOCKET s, uint dwIoControlCode, byte[]? lpvInBuffer, uint cbInBuffer, byte[]? lpvOutBuffer, uint cbOutBuffer,
        out uint lpcbBytesReturned, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno)
    {
        lpcbBytesReturned = 0;
        return Lower(s, out var l, out lpErrno)
            ? _next.WSPIoctl(l, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, out lpcbBytesReturned, lpOverlapped,
                lpCompletionRoutine, lpThreadId, out lpErrno)
            : SOCKET_ERROR;
    }

    public SOCKET WSPJoinLeaf(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData, QOS? lpSQOS, QOS? lpGQOS,
        uint dwFlags, out int lpErrno)
    {
        if (!Lower(s, out var l, out lpErrno)) return INVALID_SOCKET;
        var r = _next.WSPJoinLeaf(l, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, dwFlags, out lpErrno);
        return !r.IsValid ? r : r == l ? s : Wrap(r, out lpErrno);
    }

    public int WSPRecvDisconnect(SOCKET s, WSABUF? lpInboundDisconnectData, out int lpErrno) =>
        Lower(s, out var l, out lpErrno) ? _next.WSPRecvDisconnect(l, lpInboundDisconnectData, out lpErrno) : SOCKET_ERROR;

    public int WSPSendDisconnect(SOCKET s, WSABUF? lpOutboundDisconnectData, out int lpErrno) =>
        Lower(s, out var l, out lpErrno) ? _next.WSPSendDisconnect(l, lpOutboundDisconnectData, out lpErrno) : SOCKET_ERROR;

    public int WSPShutdown(SOCKET s, int how, out int lpErrno) =>
        Lower(s, out var l, out lpErrno) ? _next.WSPShutdown(l, how, out lpErrno) : SOCKET_ERROR;
}
