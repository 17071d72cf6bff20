using Winsock2.Kernel;
using Winsock2.Runtime;

namespace Winsock2;

/// <summary>WSAEnumProtocols and the catalog-maintenance functions WSCEnumProtocols, WSCInstallProvider, WSCDeinstallProvider.</summary>
public static partial class Ws2_32
{
    /// <summary>
    /// The base and chain entries (no layered, no hidden ones), optionally only those whose iProtocol is in
    /// <paramref name="lpiProtocols"/>. Buffer too small → SOCKET_ERROR, WSAENOBUFS, and the size needed
    /// (entries × 628 bytes) in <paramref name="lpdwBufferLength"/>. Returns the number of entries.
    /// </summary>
    public static int WSAEnumProtocols(int[]? lpiProtocols, WSAPROTOCOL_INFOW[]? lpProtocolBuffer, ref uint lpdwBufferLength)
    {
        try
        {
            if (!Dispatch.Started()) return SOCKET_ERROR;
            var list = Filter(ApiInstance.Catalog.Where(e => !e.IsLayered && (e.Info.dwProviderFlags & PFL_HIDDEN) == 0), lpiProtocols);
            int rc = Fill(list, lpProtocolBuffer, ref lpdwBufferLength, out int errno);
            return rc == SOCKET_ERROR ? Dispatch.Finish(rc, errno) : rc;
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>Every installed entry, layered and hidden ones included (no WSAStartup needed).</summary>
    public static int WSCEnumProtocols(int[]? lpiProtocols, WSAPROTOCOL_INFOW[]? lpProtocolBuffer, ref uint lpdwBufferLength, out int lpErrno)
    {
        lpErrno = 0;
        try
        {
            return Fill(Filter(ProtocolCatalog.Snapshot(), lpiProtocols), lpProtocolBuffer, ref lpdwBufferLength, out lpErrno);
        }
        catch (Exception e)
        {
            Diagnostics.CallbackFailed("WSCEnumProtocols", e);
            lpErrno = WSANO_RECOVERY;
            return SOCKET_ERROR;
        }
    }

    private static List<CatalogEntry> Filter(IEnumerable<CatalogEntry> entries, int[]? protocols) =>
        entries.Where(e => protocols is null || Array.IndexOf(protocols, e.Info.iProtocol) >= 0).ToList();

    private static int Fill(List<CatalogEntry> list, WSAPROTOCOL_INFOW[]? buffer, ref uint length, out int errno)
    {
        uint needed = (uint)(list.Count * WSAPROTOCOL_INFOW.Size);
        if (buffer is null || length < needed || buffer.Length < list.Count)
        {
            length = needed;
            errno = WSAENOBUFS;
            return SOCKET_ERROR;
        }
        for (int i = 0; i < list.Count; i++) buffer[i] = list[i].Info.Clone();
        errno = 0;
        return list.Count;
    }

    /// <summary>
    /// Installs a provider: <paramref name="lpszProviderDllPath"/> is the assembly-qualified name of a type
    /// implementing <see cref="IWSPProvider"/>. Layered entries (ChainLen 0) and base entries get new catalog ids;
    /// a chain (ChainLen &gt; 1) may name only entries already installed, never one layer twice. API instances started
    /// after the install see the new entries.
    /// </summary>
    public static int WSCInstallProvider(Guid lpProviderId, string lpszProviderDllPath, WSAPROTOCOL_INFOW[] lpProtocolInfoList,
        uint dwNumberOfEntries, out int lpErrno)
    {
        try
        {
            if (lpProtocolInfoList is null || dwNumberOfEntries == 0 || dwNumberOfEntries > lpProtocolInfoList.Length)
            {
                lpErrno = WSAEFAULT;
                return SOCKET_ERROR;
            }
            return ProtocolCatalog.Install(lpProviderId, lpszProviderDllPath, lpProtocolInfoList[..(int)dwNumberOfEntries], out lpErrno);
        }
        catch (Exception e)
        {
            Diagnostics.CallbackFailed("WSCInstallProvider", e);
            lpErrno = WSANO_RECOVERY;
            return SOCKET_ERROR;
        }
    }

    /// <summary>Removes every entry of a provider (WSAEINVAL if it is not installed).</summary>
    public static int WSCDeinstallProvider(Guid lpProviderId, out int lpErrno)
    {
        try { return ProtocolCatalog.Deinstall(lpProviderId, out lpErrno); }
        catch (Exception e)
        {
            Diagnostics.CallbackFailed("WSCDeinstallProvider", e);
            lpErrno = WSANO_RECOVERY;
            return SOCKET_ERROR;
        }
    }

    /// <summary>The path (type name) a provider was installed with.</summary>
    public static int WSCGetProviderPath(Guid lpProviderId, out string lpszProviderDllPath, out int lpErrno) =>
        Upcalls.Instance.WPUGetProviderPath(lpProviderId, out lpszProviderDllPath, out lpErrno);

    /// <summary>
    /// Completes an overlapped request for a provider (exported by the API layer): fills the WSAOVERLAPPED
    /// (InternalHigh = bytes, OffsetHigh = error) and signals its hEvent.
    /// </summary>
    public static int WPUCompleteOverlappedRequest(SOCKET s, WSAOVERLAPPED lpOverlapped, uint dwError, uint cbTransferred, out int lpErrno)
    {
        if (lpOverlapped is null) { lpErrno = WSAEFAULT; return SOCKET_ERROR; }
        if (!ApiInstance.Sockets.TryGet(s.Value, out _)) { lpErrno = WSAENOTSOCK; return SOCKET_ERROR; }
        lpOverlapped.Complete((int)dwError, (int)cbTransferred, (int)lpOverlapped.Offset);
        if (lpOverlapped.hEvent.IsValid) Kernel.Events.Set(lpOverlapped.hEvent);
        lpErrno = 0;
        return 0;
    }
}
