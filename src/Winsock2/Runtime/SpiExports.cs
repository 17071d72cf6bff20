using System.Runtime.CompilerServices;

namespace Winsock2.Runtime;

/// <summary>The ws2spi.h functions ws2_32 exports to providers, bound into the contract when this assembly loads.</summary>
internal sealed class SpiExports : IWs2SpiExports
{
    // As a DLL's imports are bound when it loads: a provider may call these before any WSAStartup of this process.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Bind() => Ws2Spi.BindExports(new SpiExports());

    public int WSCEnumProtocols(int[]? lpiProtocols, WSAPROTOCOL_INFOW[]? lpProtocolBuffer, ref uint lpdwBufferLength, out int lpErrno) =>
        Ws2_32.WSCEnumProtocols(lpiProtocols, lpProtocolBuffer, ref lpdwBufferLength, out lpErrno);

    public int WSCGetProviderPath(Guid lpProviderId, out string lpszProviderDllPath, out int lpErrno) =>
        Ws2_32.WSCGetProviderPath(lpProviderId, out lpszProviderDllPath, out lpErrno);

    public int WPUCompleteOverlappedRequest(SOCKET s, WSAOVERLAPPED lpOverlapped, uint dwError, uint cbTransferred, out int lpErrno) =>
        Ws2_32.WPUCompleteOverlappedRequest(s, lpOverlapped, dwError, cbTransferred, out lpErrno);
}
