using Winsock2.Kernel;
using Winsock2.Providers.Core;

namespace Winsock2.Providers.Rooted;

/// <summary>
/// The extension functions of the rooted provider: AcceptEx on a listening c_root (admits the next leaf-initiated join
/// into the accept socket, <see cref="RootSocket.AcceptEx"/>) and GetAcceptExSockaddrs. The others have no meaning for
/// rooted sessions (WSAEOPNOTSUPP from SIO_GET_EXTENSION_FUNCTION_POINTER).
/// </summary>
internal sealed partial class RootedProvider
{
    private static WSPUPCALLTABLE? s_upcalls;
    private static readonly LPFN_ACCEPTEX AcceptExFunction = AcceptEx;
    private static readonly LPFN_GETACCEPTEXSOCKADDRS GetAcceptExSockaddrsFunction = AcceptExBuffer.Read;

    /// <inheritdoc />
    protected override Delegate? ExtensionFunction(Guid id)
    {
        s_upcalls = Upcalls;
        if (id == Ws2Spi.WSAID_ACCEPTEX) return AcceptExFunction;
        if (id == Ws2Spi.WSAID_GETACCEPTEXSOCKADDRS) return GetAcceptExSockaddrsFunction;
        return null;
    }

    /// <summary>The socket object a handle was made for (not what it stands for), or null.</summary>
    private static RootedSocket? Find(SOCKET s) =>
        s_upcalls is { } up && up.WPUQuerySocketHandleContext(s, out var ctx, out _) == 0 ? ctx as RootedSocket : null;

    private static bool AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket, byte[] lpOutputBuffer, uint dwReceiveDataLength,
        uint dwLocalAddressLength, uint dwRemoteAddressLength, out uint lpdwBytesReceived, WSAOVERLAPPED? lpOverlapped)
    {
        lpdwBytesReceived = 0;
        return ExtensionFunctions.Guarded(() => Find(sListenSocket) is not { } listener || Find(sAcceptSocket) is not { } acceptor
            ? Ws2Spi.WSAENOTSOCK
            : listener is not RootSocket root ? Ws2Spi.WSAEINVAL
            : root.AcceptEx(acceptor, lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength, dwRemoteAddressLength, lpOverlapped,
                lpOverlapped is null ? null : ThreadContext.Current.CallerThreadId()));
    }
}
