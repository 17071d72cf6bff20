namespace Winsock2;

/// <summary>
/// The functions ws2spi.h declares and ws2_32 exports to providers (a layered provider finds the next provider in its
/// chain with them; a non-IFS provider completes overlapped requests with WPUCompleteOverlappedRequest). The API layer
/// implements this and binds it once when it loads (<see cref="Ws2Spi.BindExports"/>).
/// </summary>
public interface IWs2SpiExports
{
    /// <summary>Every installed catalog entry, layered and hidden ones included (see Ws2_32.WSCEnumProtocols).</summary>
    int WSCEnumProtocols(int[]? lpiProtocols, WSAPROTOCOL_INFOW[]? lpProtocolBuffer, ref uint lpdwBufferLength, out int lpErrno);

    /// <summary>The assembly path a provider was installed with.</summary>
    int WSCGetProviderPath(Guid lpProviderId, out string lpszProviderDllPath, out int lpErrno);

    /// <summary>Completes an overlapped request for a non-IFS provider.</summary>
    int WPUCompleteOverlappedRequest(SOCKET s, WSAOVERLAPPED lpOverlapped, uint dwError, uint cbTransferred, out int lpErrno);
}

public static partial class Ws2Spi
{
    private static IWs2SpiExports? _exports;

    /// <summary>Binds the API layer's exports (done by the API layer when it loads; a second binding is ignored).</summary>
    public static void BindExports(IWs2SpiExports exports) => Interlocked.CompareExchange(ref _exports, exports, null);

    /// <summary>ws2spi.h WSCEnumProtocols; WSASYSNOTREADY while no API layer is loaded.</summary>
    public static int WSCEnumProtocols(int[]? lpiProtocols, WSAPROTOCOL_INFOW[]? lpProtocolBuffer, ref uint lpdwBufferLength, out int lpErrno)
    {
        if (Volatile.Read(ref _exports) is not { } e) { lpErrno = WSASYSNOTREADY; return SOCKET_ERROR; }
        return e.WSCEnumProtocols(lpiProtocols, lpProtocolBuffer, ref lpdwBufferLength, out lpErrno);
    }

    /// <summary>ws2spi.h WSCGetProviderPath; WSASYSNOTREADY while no API layer is loaded.</summary>
    public static int WSCGetProviderPath(Guid lpProviderId, out string lpszProviderDllPath, out int lpErrno)
    {
        if (Volatile.Read(ref _exports) is not { } e) { lpszProviderDllPath = ""; lpErrno = WSASYSNOTREADY; return SOCKET_ERROR; }
        return e.WSCGetProviderPath(lpProviderId, out lpszProviderDllPath, out lpErrno);
    }

    /// <summary>ws2spi.h WPUCompleteOverlappedRequest; WSASYSNOTREADY while no API layer is loaded.</summary>
    public static int WPUCompleteOverlappedRequest(SOCKET s, WSAOVERLAPPED lpOverlapped, uint dwError, uint cbTransferred, out int lpErrno)
    {
        if (Volatile.Read(ref _exports) is not { } e) { lpErrno = WSASYSNOTREADY; return SOCKET_ERROR; }
        return e.WPUCompleteOverlappedRequest(s, lpOverlapped, dwError, cbTransferred, out lpErrno);
    }
}
