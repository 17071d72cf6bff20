using Winsock2.Runtime;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Spi;

/// <summary>The context a <see cref="TestProvider"/> keeps with each handle it makes.</summary>
public sealed record TestSocket(WSAPROTOCOL_INFOW Info, int Af, int Type, int Protocol, uint Flags);

/// <summary>
/// A minimal non-IFS provider written outside the library, as a third party would: WSPStartup keeps the upcall
/// table, WSPSocket makes handles with WPUCreateSocketHandle, WSPCloseSocket releases them, WSPGetSockOpt answers
/// SO_TYPE and SO_PROTOCOL_INFOW; everything else is WSAEOPNOTSUPP. Derived types misbehave on purpose.
/// The statics record what the API layer handed over, for the tests to inspect.
/// </summary>
public class TestProvider : IWSPProvider, WSPPROC_TABLE
{
    public static WSPUPCALLTABLE? LastUpcalls;
    public static WSAPROTOCOL_INFOW? LastStartupInfo;
    public static TestSocket? LastSocket;
    public static int Startups, Cleanups;

    protected WSPUPCALLTABLE Upcalls = null!;

    public static void Reset()
    {
        LastUpcalls = null;
        LastStartupInfo = null;
        LastSocket = null;
        Startups = Cleanups = 0;
    }

    protected static int Error(int code, out int errno)
    {
        errno = code;
        return SOCKET_ERROR;
    }

    protected bool TryGet(SOCKET s, out TestSocket sock, out int errno)
    {
        sock = null!;
        if (Upcalls.WPUQuerySocketHandleContext(s, out var ctx, out errno) != 0 || ctx is not TestSocket t)
        {
            errno = WSAENOTSOCK;
            return false;
        }
        sock = t;
        return true;
    }

    public virtual int WSPStartup(ushort wVersionRequested, out WSPDATA lpWSPData, WSAPROTOCOL_INFOW lpProtocolInfo,
        WSPUPCALLTABLE UpcallTable, out WSPPROC_TABLE? lpProcTable)
    {
        lpWSPData = new WSPDATA { wVersion = 0x0202, wHighVersion = 0x0202, szDescription = GetType().Name };
        lpProcTable = null;
        if ((wVersionRequested & 0xFF) < 2) return WSAVERNOTSUPPORTED;
        Upcalls = UpcallTable;
        LastUpcalls = UpcallTable;
        LastStartupInfo = lpProtocolInfo;
        Interlocked.Increment(ref Startups);
        lpProcTable = this;
        return 0;
    }

    public virtual int WSPCleanup(out int lpErrno)
    {
        Interlocked.Increment(ref Cleanups);
        lpErrno = 0;
        return 0;
    }

    public virtual SOCKET WSPSocket(int af, int type, int protocol, WSAPROTOCOL_INFOW? lpProtocolInfo, uint g, uint dwFlags, out int lpErrno)
    {
        if (lpProtocolInfo is null) { lpErrno = WSAEINVAL; return INVALID_SOCKET; }
        var sock = new TestSocket(lpProtocolInfo.Clone(), af, type, protocol, dwFlags);
        LastSocket = sock;
        return Upcalls.WPUCreateSocketHandle(lpProtocolInfo.dwCatalogEntryId, sock, out lpErrno);
    }

    public virtual int WSPCloseSocket(SOCKET s, out int lpErrno)
    {
        if (!TryGet(s, out _, out lpErrno)) return SOCKET_ERROR;
        return Upcalls.WPUCloseSocketHandle(s, out lpErrno);
    }

    public virtual int WSPGetSockOpt(SOCKET s, int level, int optname, byte[] optval, ref int optlen, out int lpErrno)
    {
        if (!TryGet(s, out var sock, out lpErrno)) return SOCKET_ERROR;
        if (level == SOL_SOCKET && optname == SO_PROTOCOL_INFOW)
        {
            if (optlen < WSAPROTOCOL_INFOW.Size || optval.Length < WSAPROTOCOL_INFOW.Size) return Error(WSAEFAULT, out lpErrno);
            ProtocolInfoCodec.Write(sock.Info, optval);
            optlen = WSAPROTOCOL_INFOW.Size;
            return 0;
        }
        if (level == SOL_SOCKET && optname == SO_TYPE)
        {
            if (optlen < 4) return Error(WSAEFAULT, out lpErrno);
            BitConverter.TryWriteBytes(optval, sock.Info.iSocketType);
            optlen = 4;
            return 0;
        }
        return Error(WSAENOPROTOOPT, out lpErrno);
    }

    // Everything below: not supported by this provider.
    public virtual SOCKET WSPAccept(SOCKET s, byte[]? addr, ref int addrlen, LPCONDITIONPROC? lpfnCondition, nuint dwCallbackData, out int lpErrno)
    {
        lpErrno = WSAEOPNOTSUPP;
        return INVALID_SOCKET;
    }

    public virtual int WSPAddressToString(byte[] lpsaAddress, int dwAddressLength, WSAPROTOCOL_INFOW? lpProtocolInfo, out string lpszAddressString, out int lpErrno)
    {
        lpszAddressString = "";
        return Error(WSAEOPNOTSUPP, out lpErrno);
    }

    public virtual int WSPAsyncSelect(SOCKET s, HWND? hWnd, uint wMsg, int lEvent, out int lpErrno) => Error(WSAEOPNOTSUPP, out lpErrno);
    public virtual int WSPBind(SOCKET s, byte[] name, int namelen, out int lpErrno) => Error(WSAEOPNOTSUPP, out lpErrno);
    public virtual int WSPCancelBlockingCall(out int lpErrno) => Error(WSAEINVAL, out lpErrno);

    public virtual int WSPConnect(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData, QOS? lpSQOS, QOS? lpGQOS, out int lpErrno) =>
        Error(WSAEOPNOTSUPP, out lpErrno);

    public virtual int WSPDuplicateSocket(SOCKET s, uint dwProcessId, WSAPROTOCOL_INFOW lpProtocolInfo, out int lpErrno) => Error(WSAEOPNOTSUPP, out lpErrno);
    public virtual int WSPEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, WSANETWORKEVENTS lpNetworkEvents, out int lpErrno) => Error(WSAEOPNOTSUPP, out lpErrno);
    public virtual int WSPEventSelect(SOCKET s, WSAEVENT hEventObject, int lNetworkEvents, out int lpErrno) => Error(WSAEOPNOTSUPP, out lpErrno);

    public virtual bool WSPGetOverlappedResult(SOCKET s, WSAOVERLAPPED lpOverlapped, out uint lpcbTransfer, bool fWait, out uint lpdwFlags, out int lpErrno)
    {
        lpcbTransfer = 0;
        lpdwFlags = 0;
        lpErrno = WSAEOPNOTSUPP;
        return false;
    }

    public virtual int WSPGetPeerName(SOCKET s, byte[] name, ref int namelen, out int lpErrno) => Error(WSAEOPNOTSUPP, out lpErrno);
    public virtual int WSPGetSockName(SOCKET s, byte[] name, ref int namelen, out int lpErrno) => Error(WSAEOPNOTSUPP, out lpErrno);

    public virtual bool WSPGetQOSByName(SOCKET s, WSABUF lpQOSName, QOS lpQOS, out int lpErrno)
    {
        lpErrno = WSAEOPNOTSUPP;
        return false;
    }

    public virtual int WSPIoctl(SOCKET s, uint dwIoControlCode, byte[]? lpvInBuffer, uint cbInBuffer, byte[]? lpvOutBuffer, uint cbOutBuffer,
        out uint lpcbBytesReturned, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno)
    {
        lpcbBytesReturned = 0;
        return Error(WSAEOPNOTSUPP, out lpErrno);
    }

    public virtual SOCKET WSPJoinLeaf(SOCKET s, byte[] name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData, QOS? lpSQOS, QOS? lpGQOS,
        uint dwFlags, out int lpErrno)
    {
        lpErrno = WSAEOPNOTSUPP;
        return INVALID_SOCKET;
    }

    public virtual int WSPListen(SOCKET s, int backlog, out int lpErrno) => Error(WSAEOPNOTSUPP, out lpErrno);

    public virtual int WSPRecv(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesRecvd, ref uint lpFlags,
        WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine, WSATHREADID? lpThreadId, out int lpErrno)
    {
        lpNumberOfBytesRecvd = 0;
        return Error(WSAEOPNOTSUPP, out lpErrno);
    }

    public virtual int WSPRecvDisconnect(SOCKET s, WSABUF? lpInboundDisconnectData, out int lpErrno) => Error(WSAEOPNOTSUPP, out lpErrno);

    public virtual int WSPRecvFrom(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesRecvd, ref uint lpFlags,
        byte[]? lpFrom, ref int lpFromlen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno)
    {
        lpNumberOfBytesRecvd = 0;
        return Error(WSAEOPNOTSUPP, out lpErrno);
    }

    public virtual int WSPSelect(int nfds, fd_set? readfds, fd_set? writefds, fd_set? exceptfds, timeval? timeout, out int lpErrno) =>
        Error(WSAEOPNOTSUPP, out lpErrno);

    public virtual int WSPSend(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesSent, uint dwFlags,
        WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine, WSATHREADID? lpThreadId, out int lpErrno)
    {
        lpNumberOfBytesSent = 0;
        return Error(WSAEOPNOTSUPP, out lpErrno);
    }

    public virtual int WSPSendDisconnect(SOCKET s, WSABUF? lpOutboundDisconnectData, out int lpErrno) => Error(WSAEOPNOTSUPP, out lpErrno);

    public virtual int WSPSendTo(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesSent, uint dwFlags,
        byte[]? lpTo, int iTolen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno)
    {
        lpNumberOfBytesSent = 0;
        return Error(WSAEOPNOTSUPP, out lpErrno);
    }

    public virtual int WSPSetSockOpt(SOCKET s, int level, int optname, byte[]? optval, int optlen, out int lpErrno) => Error(WSAENOPROTOOPT, out lpErrno);
    public virtual int WSPShutdown(SOCKET s, int how, out int lpErrno) => Error(WSAEOPNOTSUPP, out lpErrno);

    public virtual int WSPStringToAddress(string AddressString, int AddressFamily, WSAPROTOCOL_INFOW? lpProtocolInfo, byte[] lpAddress,
        ref int lpAddressLength, out int lpErrno) => Error(WSAEOPNOTSUPP, out lpErrno);
}

/// <summary>Fails without setting lpErrno: bind (int), accept (SOCKET) and WSAGetOverlappedResult (BOOL).</summary>
public sealed class SilentFailureProvider : TestProvider
{
    public override int WSPBind(SOCKET s, byte[] name, int namelen, out int lpErrno)
    {
        lpErrno = 0;
        return SOCKET_ERROR;
    }

    public override SOCKET WSPAccept(SOCKET s, byte[]? addr, ref int addrlen, LPCONDITIONPROC? lpfnCondition, nuint dwCallbackData, out int lpErrno)
    {
        lpErrno = 0;
        return INVALID_SOCKET;
    }

    public override bool WSPGetOverlappedResult(SOCKET s, WSAOVERLAPPED lpOverlapped, out uint lpcbTransfer, bool fWait, out uint lpdwFlags, out int lpErrno)
    {
        lpcbTransfer = 0;
        lpdwFlags = 0;
        lpErrno = 0;
        return false;
    }
}

/// <summary>Throws from WSP calls (a buggy provider): the API layer must turn that into an error code.</summary>
public sealed class ThrowingProvider : TestProvider
{
    /// <summary>WSPSocket throws when asked for protocol 0 (and works for others, so the tests get a handle).</summary>
    public const int ThrowOnSocketProtocol = 0;

    public override SOCKET WSPSocket(int af, int type, int protocol, WSAPROTOCOL_INFOW? lpProtocolInfo, uint g, uint dwFlags, out int lpErrno) =>
        protocol == ThrowOnSocketProtocol ? throw new InvalidOperationException("provider bug in WSPSocket")
            : base.WSPSocket(af, type, protocol, lpProtocolInfo, g, dwFlags, out lpErrno);

    public override int WSPBind(SOCKET s, byte[] name, int namelen, out int lpErrno) => throw new InvalidOperationException("provider bug in WSPBind");

    public override int WSPSetSockOpt(SOCKET s, int level, int optname, byte[]? optval, int optlen, out int lpErrno) =>
        throw new NullReferenceException("provider bug in WSPSetSockOpt");

    public override SOCKET WSPAccept(SOCKET s, byte[]? addr, ref int addrlen, LPCONDITIONPROC? lpfnCondition, nuint dwCallbackData, out int lpErrno) =>
        throw new InvalidOperationException("provider bug in WSPAccept");

    public override bool WSPGetOverlappedResult(SOCKET s, WSAOVERLAPPED lpOverlapped, out uint lpcbTransfer, bool fWait, out uint lpdwFlags, out int lpErrno) =>
        throw new InvalidOperationException("provider bug in WSPGetOverlappedResult");
}

/// <summary>WSPStartup throws.</summary>
public sealed class ThrowingStartupProvider : TestProvider
{
    public override int WSPStartup(ushort wVersionRequested, out WSPDATA lpWSPData, WSAPROTOCOL_INFOW lpProtocolInfo,
        WSPUPCALLTABLE UpcallTable, out WSPPROC_TABLE? lpProcTable) => throw new InvalidOperationException("provider bug in WSPStartup");
}

/// <summary>WSPStartup succeeds but hands back no procedure table.</summary>
public sealed class NullTableProvider : TestProvider
{
    public override int WSPStartup(ushort wVersionRequested, out WSPDATA lpWSPData, WSAPROTOCOL_INFOW lpProtocolInfo,
        WSPUPCALLTABLE UpcallTable, out WSPPROC_TABLE? lpProcTable)
    {
        base.WSPStartup(wVersionRequested, out lpWSPData, lpProtocolInfo, UpcallTable, out _);
        lpProcTable = null;
        return 0;
    }
}

/// <summary>WSPStartup negotiates SPI 1.1, which the API layer cannot use.</summary>
public sealed class OldVersionProvider : TestProvider
{
    public override int WSPStartup(ushort wVersionRequested, out WSPDATA lpWSPData, WSAPROTOCOL_INFOW lpProtocolInfo,
        WSPUPCALLTABLE UpcallTable, out WSPPROC_TABLE? lpProcTable)
    {
        int rc = base.WSPStartup(wVersionRequested, out lpWSPData, lpProtocolInfo, UpcallTable, out lpProcTable);
        lpWSPData.wVersion = 0x0101;
        return rc;
    }
}
