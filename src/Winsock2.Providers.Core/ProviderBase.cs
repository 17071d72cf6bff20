using System.Net;
using System.Net.Sockets;
using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>
/// The WSPPROC_TABLE plumbing the built-in providers share: WSPStartup/WSPCleanup counting, finding the socket
/// behind a handle (WPUQuerySocketHandleContext), turning results and exceptions into lpErrno, and the entries
/// whose behaviour does not depend on the transport.
/// </summary>
internal abstract class ProviderBase<TSocket> : IWSPProvider where TSocket : class, IProviderSocket
{
    private int _starts;

    /// <summary>The upcall table from WSPStartup.</summary>
    public WSPUPCALLTABLE Upcalls { get; private set; } = null!;

    protected abstract string Description { get; }
    protected abstract WSPPROC_TABLE Table { get; }

    public int WSPStartup(ushort wVersionRequested, out WSPDATA lpWSPData, WSAPROTOCOL_INFOW lpProtocolInfo,
        WSPUPCALLTABLE UpcallTable, out WSPPROC_TABLE? lpProcTable)
    {
        lpWSPData = new WSPDATA { wVersion = 0x0202, wHighVersion = 0x0202, szDescription = Description };
        lpProcTable = null;
        if ((wVersionRequested & 0xFF) < 2 || UpcallTable is null) return Ws2Spi.WSAVERNOTSUPPORTED;
        Upcalls = UpcallTable;
        Interlocked.Increment(ref _starts);
        lpProcTable = Table;
        return 0;
    }

    public int WSPCleanup(out int lpErrno)
    {
        if (Interlocked.Decrement(ref _starts) < 0)
        {
            Interlocked.Increment(ref _starts);
            return Error(Ws2Spi.WSANOTINITIALISED, out lpErrno);
        }
        lpErrno = 0;
        return 0;
    }

    /// <summary>The socket object behind a handle (WSAENOTSOCK if it is not one of this provider's).</summary>
    protected bool TryGet(SOCKET s, out TSocket sock, out int errno)
    {
        sock = null!;
        if (Upcalls.WPUQuerySocketHandleContext(s, out var ctx, out errno) != 0 || ctx is not TSocket t)
        {
            errno = Ws2Spi.WSAENOTSOCK;
            return false;
        }
        sock = t.StandsFor as TSocket ?? t; // a rooted AcceptEx's accept socket: its leaf
        return true;
    }

    /// <summary>The handle's socket stands for another (<see cref="IProviderSocket.StandsFor"/>).</summary>
    private bool StandsForAnother(SOCKET s) =>
        Upcalls.WPUQuerySocketHandleContext(s, out var ctx, out _) == 0 && ctx is IProviderSocket { StandsFor: not null };

    /// <summary>Runs one socket call returning an error code: 0 → 0, else SOCKET_ERROR with lpErrno.</summary>
    protected int Run(SOCKET s, out int errno, Func<TSocket, int> call)
    {
        try
        {
            if (!TryGet(s, out var sock, out errno)) return Ws2Spi.SOCKET_ERROR;
            errno = call(sock);
            return errno == 0 ? 0 : Ws2Spi.SOCKET_ERROR;
        }
        catch (Exception e)
        {
            return Fail(e, out errno);
        }
    }

    /// <summary>
    /// <see cref="Run(SOCKET, out int, Func{TSocket, int})"/> with the call's arguments passed as state, so a static
    /// lambda needs no closure (no allocation per call).
    /// </summary>
    protected int Run<TState>(SOCKET s, out int errno, TState state, Func<TSocket, TState, int> call)
    {
        try
        {
            if (!TryGet(s, out var sock, out errno)) return Ws2Spi.SOCKET_ERROR;
            errno = call(sock, state);
            return errno == 0 ? 0 : Ws2Spi.SOCKET_ERROR;
        }
        catch (Exception e)
        {
            return Fail(e, out errno);
        }
    }

    /// <summary>An exception inside the provider: a SocketException keeps its code, anything else is WSASYSCALLFAILURE.</summary>
    protected static int Fail(Exception e, out int errno)
    {
        errno = e is SocketException se ? (int)se.SocketErrorCode : Ws2Spi.WSASYSCALLFAILURE;
        if (e is not SocketException) Diagnostics.InternalFailure("provider", e);
        return Ws2Spi.SOCKET_ERROR;
    }

    protected static int Error(int code, out int errno)
    {
        errno = code;
        return Ws2Spi.SOCKET_ERROR;
    }

    /// <summary>len within buf for every buffer, and the count within the array (else WSAEFAULT).</summary>
    public static bool BuffersValid(WSABUF[]? buffers, uint count)
    {
        if (buffers is null || count > (uint)buffers.Length) return false;
        for (int i = 0; i < count; i++)
            if (buffers[i] is null || !buffers[i].IsValid) return false;
        return true;
    }

    public int WSPRecv(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesRecvd, ref uint lpFlags,
        WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine, WSATHREADID? lpThreadId, out int lpErrno)
    {
        int fromlen = 0;
        return WSPRecvFrom(s, lpBuffers, dwBufferCount, out lpNumberOfBytesRecvd, ref lpFlags, null, ref fromlen,
            lpOverlapped, lpCompletionRoutine, lpThreadId, out lpErrno);
    }

    public int WSPRecvFrom(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesRecvd, ref uint lpFlags,
        byte[]? lpFrom, ref int lpFromlen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno)
    {
        lpNumberOfBytesRecvd = 0;
        try
        {
            if (!TryGet(s, out var sock, out lpErrno)) return Ws2Spi.SOCKET_ERROR;
            if (!BuffersValid(lpBuffers, dwBufferCount)) return Error(Ws2Spi.WSAEFAULT, out lpErrno);
            return sock.Receive(lpBuffers, dwBufferCount, out lpNumberOfBytesRecvd, ref lpFlags, lpFrom, ref lpFromlen,
                lpOverlapped, lpCompletionRoutine, lpThreadId, out lpErrno);
        }
        catch (Exception e)
        {
            return Fail(e, out lpErrno);
        }
    }

    public int WSPSend(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesSent, uint dwFlags,
        WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine, WSATHREADID? lpThreadId, out int lpErrno) =>
        WSPSendTo(s, lpBuffers, dwBufferCount, out lpNumberOfBytesSent, dwFlags, null, 0, lpOverlapped, lpCompletionRoutine, lpThreadId, out lpErrno);

    public int WSPSendTo(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesSent, uint dwFlags,
        byte[]? lpTo, int iTolen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno)
    {
        lpNumberOfBytesSent = 0;
        try
        {
            if (!TryGet(s, out var sock, out lpErrno)) return Ws2Spi.SOCKET_ERROR;
            if (!BuffersValid(lpBuffers, dwBufferCount)) return Error(Ws2Spi.WSAEFAULT, out lpErrno);
            return sock.Send(lpBuffers, dwBufferCount, out lpNumberOfBytesSent, dwFlags, lpTo, iTolen,
                lpOverlapped, lpCompletionRoutine, lpThreadId, out lpErrno);
        }
        catch (Exception e)
        {
            return Fail(e, out lpErrno);
        }
    }

    public int WSPCloseSocket(SOCKET s, out int lpErrno)
    {
        try
        {
            if (!TryGet(s, out var sock, out lpErrno)) return Ws2Spi.SOCKET_ERROR;
            sock.Close();
            Upcalls.WPUCloseSocketHandle(s, out lpErrno);
            return lpErrno == 0 ? 0 : Ws2Spi.SOCKET_ERROR;
        }
        catch (Exception e)
        {
            return Fail(e, out lpErrno);
        }
    }

    /// <summary>No XP1_DISCONNECT_DATA on these providers: data → WSAENOPROTOOPT, else shutdown(SD_RECEIVE).</summary>
    public int WSPRecvDisconnect(SOCKET s, WSABUF? lpInboundDisconnectData, out int lpErrno) =>
        lpInboundDisconnectData is { len: > 0 } ? Run(s, out lpErrno, _ => Ws2Spi.WSAENOPROTOOPT)
            : Run(s, out lpErrno, Ws2Spi.SD_RECEIVE, static (x, how) => x.Shutdown(how));

    /// <summary>No XP1_DISCONNECT_DATA on these providers: data → WSAENOPROTOOPT, else shutdown(SD_SEND).</summary>
    public int WSPSendDisconnect(SOCKET s, WSABUF? lpOutboundDisconnectData, out int lpErrno) =>
        lpOutboundDisconnectData is { len: > 0 } ? Run(s, out lpErrno, _ => Ws2Spi.WSAENOPROTOOPT)
            : Run(s, out lpErrno, Ws2Spi.SD_SEND, static (x, how) => x.Shutdown(how));

    public int WSPAsyncSelect(SOCKET s, HWND? hWnd, uint wMsg, int lEvent, out int lpErrno) =>
        Run(s, out lpErrno, (hWnd, wMsg, lEvent), static (x, a) => EventSelection.Select(x, default, a.hWnd, a.wMsg, a.lEvent, byWindow: true));

    public int WSPEventSelect(SOCKET s, WSAEVENT hEventObject, int lNetworkEvents, out int lpErrno) =>
        Run(s, out lpErrno, (hEventObject, lNetworkEvents), static (x, a) => EventSelection.Select(x, a.hEventObject, null, 0, a.lNetworkEvents, byWindow: false));

    public int WSPEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, WSANETWORKEVENTS lpNetworkEvents, out int lpErrno) =>
        lpNetworkEvents is null ? Error(Ws2Spi.WSAEFAULT, out lpErrno) : Run(s, out lpErrno, (hEventObject, lpNetworkEvents), static (x, a) => EventSelection.Enumerate(x, a.hEventObject, a.lpNetworkEvents));

    /// <summary>WSPSelect over this provider's sockets (<see cref="SelectEngine"/>).</summary>
    public int WSPSelect(int nfds, fd_set? readfds, fd_set? writefds, fd_set? exceptfds, timeval? timeout, out int lpErrno)
    {
        try
        {
            return SelectEngine.Run<TSocket>(readfds, writefds, exceptfds, timeout, h => TryGet(h, out var x, out _) ? x : null, out lpErrno);
        }
        catch (Exception e)
        {
            return Fail(e, out lpErrno);
        }
    }

    public int WSPShutdown(SOCKET s, int how, out int lpErrno) => Run(s, out lpErrno, how, static (x, how) => x.Shutdown(how));

    public int WSPGetSockOpt(SOCKET s, int level, int optname, byte[] optval, ref int optlen, out int lpErrno)
    {
        int len = optlen;
        int rc = Run(s, out lpErrno, x => x.GetOption(level, optname, optval, ref len));
        optlen = len;
        return rc;
    }

    public int WSPSetSockOpt(SOCKET s, int level, int optname, byte[]? optval, int optlen, out int lpErrno) =>
        level == Ws2Spi.SOL_SOCKET && optname == Ws2Spi.SO_UPDATE_ACCEPT_CONTEXT && StandsForAnother(s)
            ? Run(s, out lpErrno, _ => 0) // the accept socket already is its leaf: nothing to update
            : Run(s, out lpErrno, (level, optname, optval, optlen), static (x, a) => x.SetOption(a.level, a.optname, a.optval, a.optlen));

    public int WSPIoctl(SOCKET s, uint dwIoControlCode, byte[]? lpvInBuffer, uint cbInBuffer, byte[]? lpvOutBuffer, uint cbOutBuffer,
        out uint lpcbBytesReturned, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno)
    {
        uint returned = 0;
        int rc = Run(s, out lpErrno, x =>
        {
            int err = dwIoControlCode switch
            {
                Ws2Spi.SIO_GET_EXTENSION_FUNCTION_POINTER =>
                    ExtensionFunctions.Answer(lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, ExtensionFunction, out returned),
                Ws2Spi.SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER => RioTable(x, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, out returned),
                _ => ImmediateIoctl.Run(x, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, out returned),
            };
            if (err == 0 && (lpOverlapped is not null || lpCompletionRoutine is not null))
                OverlappedResult.CompleteImmediately(Upcalls, x, lpOverlapped, lpCompletionRoutine, lpThreadId, (int)returned);
            return err;
        });
        lpcbBytesReturned = returned;
        return rc;
    }

    /// <summary>The Registered I/O functions of this provider type (one set for the process, as a DLL's functions are).</summary>
    private static readonly RioFunctions Rio = new();

    /// <summary>
    /// SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER: the Registered I/O table (<see cref="RioFunctions.Answer"/>) when the
    /// socket's kind takes Registered I/O (<see cref="IRioSocket"/>), else WSAEOPNOTSUPP for WSAID_MULTIPLE_RIO.
    /// </summary>
    private int RioTable(TSocket x, byte[]? input, uint inLen, byte[]? output, uint outLen, out uint returned)
    {
        returned = 0;
        if (x is not IRioSocket && ExtensionFunctionPointer.GuidIn(input, inLen) == Ws2Spi.WSAID_MULTIPLE_RIO) return Ws2Spi.WSAEOPNOTSUPP;
        Rio.Bind(Upcalls, s => TryGet(s, out var t, out _) ? t : null);
        return Rio.Answer(input, inLen, output, outLen, out returned);
    }

    /// <summary>The extension function this provider offers under <paramref name="id"/> (WSAID_ACCEPTEX ...), or null: WSAEINVAL.</summary>
    protected virtual Delegate? ExtensionFunction(Guid id) => null;

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

    public int WSPCancelBlockingCall(out int lpErrno)
    {
        var ctx = ThreadContext.Current;
        if (ctx.BlockingDepth == 0) return Error(Ws2Spi.WSAEINVAL, out lpErrno);
        ctx.CancelBlocking = true;
        ctx.Waiter.Wake();
        lpErrno = 0;
        return 0;
    }

    /// <summary>Refuses by default (a provider that can hand its sockets over overrides it, unmarked).</summary>
    [WSPRefuses(Ws2Spi.WSAEOPNOTSUPP, "no kernel object to hand to another process")]
    public virtual int WSPDuplicateSocket(SOCKET s, uint dwProcessId, WSAPROTOCOL_INFOW lpProtocolInfo, out int lpErrno) =>
        Run(s, out lpErrno, _ => Ws2Spi.WSAEOPNOTSUPP);

    /// <summary>No named QoS templates are defined.</summary>
    [WSPRefuses(Ws2Spi.WSAEINVAL, "no named QoS templates are defined")]
    public bool WSPGetQOSByName(SOCKET s, WSABUF lpQOSName, QOS lpQOS, out int lpErrno)
    {
        Run(s, out lpErrno, _ => Ws2Spi.WSAEINVAL);
        return false;
    }

    public int WSPAddressToString(byte[] lpsaAddress, int dwAddressLength, WSAPROTOCOL_INFOW? lpProtocolInfo, out string lpszAddressString, out int lpErrno)
    {
        lpszAddressString = "";
        lpErrno = SockAddr.TryParse(lpsaAddress, dwAddressLength, out var ep);
        if (lpErrno != 0) return Ws2Spi.SOCKET_ERROR;
        lpszAddressString = ep!.Port == 0 ? ep.Address.ToString() : ep.ToString();
        return 0;
    }

    public int WSPStringToAddress(string AddressString, int AddressFamily, WSAPROTOCOL_INFOW? lpProtocolInfo, byte[] lpAddress,
        ref int lpAddressLength, out int lpErrno)
    {
        IPEndPoint? ep = null;
        if (AddressString is not null)
        {
            if (IPEndPoint.TryParse(AddressString, out var parsed)) ep = parsed;
            else if (IPAddress.TryParse(AddressString, out var a)) ep = new IPEndPoint(a, 0);
        }
        if (ep is null || (AddressFamily != Ws2Spi.AF_UNSPEC && SockAddr.FamilyOf(ep.AddressFamily) != AddressFamily))
            return Error(Ws2Spi.WSAEINVAL, out lpErrno);
        lpErrno = SockAddr.Write(ep, lpAddress, ref lpAddressLength);
        return lpErrno == 0 ? 0 : Ws2Spi.SOCKET_ERROR;
    }
}
