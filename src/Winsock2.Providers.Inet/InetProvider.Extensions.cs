using Microsoft.Win32.SafeHandles;
using Winsock2.Kernel;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Inet;

/// <summary>
/// The mswsock extension functions this provider offers through WSPIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER). Each is
/// one delegate for the process (its pointer value stays valid across WSACleanup and WSAStartup, as a DLL's function
/// does); it finds its sockets through the upcall table's WPUQuerySocketHandleContext and reports errors through the
/// thread's last error.
/// </summary>
internal sealed partial class InetProvider
{
    private static WSPUPCALLTABLE? s_upcalls;

    private static readonly LPFN_ACCEPTEX AcceptExFunction = AcceptEx;
    private static readonly LPFN_GETACCEPTEXSOCKADDRS GetAcceptExSockaddrsFunction = GetAcceptExSockaddrs;
    private static readonly LPFN_CONNECTEX ConnectExFunction = ConnectEx;
    private static readonly LPFN_DISCONNECTEX DisconnectExFunction = DisconnectEx;
    private static readonly LPFN_TRANSMITFILE TransmitFileFunction = TransmitFile;
    private static readonly LPFN_WSARECVMSG WSARecvMsgFunction = WSARecvMsg;
    private static readonly LPFN_WSASENDMSG WSASendMsgFunction = WSASendMsg;

    /// <inheritdoc />
    protected override Delegate? ExtensionFunction(Guid id)
    {
        s_upcalls = Upcalls;
        if (id == Ws2Spi.WSAID_ACCEPTEX) return AcceptExFunction;
        if (id == Ws2Spi.WSAID_GETACCEPTEXSOCKADDRS) return GetAcceptExSockaddrsFunction;
        if (id == Ws2Spi.WSAID_CONNECTEX) return ConnectExFunction;
        if (id == Ws2Spi.WSAID_DISCONNECTEX) return DisconnectExFunction;
        if (id == Ws2Spi.WSAID_TRANSMITFILE) return TransmitFileFunction;
        if (id == Ws2Spi.WSAID_WSARECVMSG) return WSARecvMsgFunction;
        if (id == Ws2Spi.WSAID_WSASENDMSG) return WSASendMsgFunction;
        return null;
    }

    /// <summary>This provider's socket behind a handle, or null (WSAENOTSOCK).</summary>
    private static InetSocket? Find(SOCKET s) =>
        s_upcalls is { } up && up.WPUQuerySocketHandleContext(s, out var ctx, out _) == 0 ? ctx as InetSocket : null;

    private static WSATHREADID? Caller(WSAOVERLAPPED? ov) => ov is null ? null : ThreadContext.Current.CallerThreadId();

    private static bool AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket, byte[] lpOutputBuffer, uint dwReceiveDataLength,
        uint dwLocalAddressLength, uint dwRemoteAddressLength, out uint lpdwBytesReceived, WSAOVERLAPPED? lpOverlapped)
    {
        lpdwBytesReceived = 0;
        return ExtensionFunctions.Guarded(() => Find(sListenSocket) is not { } listener || Find(sAcceptSocket) is not { } acceptor
            ? Ws2Spi.WSAENOTSOCK
            : listener.AcceptEx(acceptor, lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength, dwRemoteAddressLength,
                lpOverlapped, Caller(lpOverlapped)));
    }

    private static void GetAcceptExSockaddrs(byte[] lpOutputBuffer, uint dwReceiveDataLength, uint dwLocalAddressLength,
        uint dwRemoteAddressLength, out byte[] LocalSockaddr, out int LocalSockaddrLength, out byte[] RemoteSockaddr, out int RemoteSockaddrLength) =>
        AcceptExBuffer.Read(lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength, dwRemoteAddressLength,
            out LocalSockaddr, out LocalSockaddrLength, out RemoteSockaddr, out RemoteSockaddrLength);

    private static bool ConnectEx(SOCKET s, byte[] name, int namelen, byte[]? lpSendBuffer, uint dwSendDataLength,
        out uint lpdwBytesSent, WSAOVERLAPPED? lpOverlapped)
    {
        lpdwBytesSent = 0;
        return ExtensionFunctions.Guarded(() => Find(s) is not { } sock ? Ws2Spi.WSAENOTSOCK
            : sock.ConnectEx(name, namelen, lpSendBuffer, dwSendDataLength, lpOverlapped, Caller(lpOverlapped)));
    }

    private static bool DisconnectEx(SOCKET s, WSAOVERLAPPED? lpOverlapped, uint dwFlags, uint dwReserved) =>
        ExtensionFunctions.Guarded(() => Find(s) is not { } sock ? Ws2Spi.WSAENOTSOCK
            : sock.DisconnectEx(lpOverlapped, dwFlags, dwReserved, Caller(lpOverlapped)));

    private static bool TransmitFile(SOCKET hSocket, SafeFileHandle? hFile, uint nNumberOfBytesToWrite, uint nNumberOfBytesPerSend,
        WSAOVERLAPPED? lpOverlapped, TRANSMIT_FILE_BUFFERS? lpTransmitBuffers, uint dwFlags) =>
        ExtensionFunctions.Guarded(() => Find(hSocket) is not { } sock ? Ws2Spi.WSAENOTSOCK
            : sock.TransmitFile(hFile, nNumberOfBytesToWrite, lpOverlapped, lpTransmitBuffers, dwFlags, Caller(lpOverlapped)));

    private static WSATHREADID? Caller(WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine) =>
        ov is null && routine is null ? null : ThreadContext.Current.CallerThreadId();

    private static int WSARecvMsg(SOCKET s, WSAMSG lpMsg, out uint lpdwNumberOfBytesRecvd, WSAOVERLAPPED? lpOverlapped,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine)
    {
        uint received = 0;
        int rc = ExtensionFunctions.GuardedInt(() => Find(s) is not { } sock ? Ws2Spi.WSAENOTSOCK
            : sock.ReceiveMessage(lpMsg, out received, lpOverlapped, lpCompletionRoutine, Caller(lpOverlapped, lpCompletionRoutine)));
        lpdwNumberOfBytesRecvd = received;
        return rc;
    }

    private static int WSASendMsg(SOCKET s, WSAMSG lpMsg, uint dwFlags, out uint lpNumberOfBytesSent, WSAOVERLAPPED? lpOverlapped,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine)
    {
        uint sent = 0;
        int rc = ExtensionFunctions.GuardedInt(() => Find(s) is not { } sock ? Ws2Spi.WSAENOTSOCK
            : sock.SendMessage(lpMsg, dwFlags, out sent, lpOverlapped, lpCompletionRoutine, Caller(lpOverlapped, lpCompletionRoutine)));
        lpNumberOfBytesSent = sent;
        return rc;
    }
}
