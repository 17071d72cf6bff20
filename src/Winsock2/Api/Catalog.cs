using Winsock2.Kernel;
using Winsock2.Runtime;

namespace Winsock2;

/// <summary>
/// WSAEnumProtocols and the catalog-maintenance functions WSCEnumProtocols, WSCInstallProvider, WSCInstallProviderAndChains,
/// WSCDeinstallProvider, WSCWriteProviderOrder, WSCGetProviderPath (the persistent catalog: <see cref="WinsockCatalog"/>).
/// </summary>
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

    /// <summary>Every installed entry, layered and hidden ones included, read from the catalog file now (no WSAStartup needed).</summary>
    public static int WSCEnumProtocols(int[]? lpiProtocols, WSAPROTOCOL_INFOW[]? lpProtocolBuffer, ref uint lpdwBufferLength, out int lpErrno)
    {
        lpErrno = 0;
        try
        {
            return Fill(Filter(ProtocolCatalog.Snapshot(), lpiProtocols), lpProtocolBuffer, ref lpdwBufferLength, out lpErrno);
        }
        catch (Exception e)
        {
            Diagnostics.InternalFailure("WSCEnumProtocols", e);
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
    /// Installs a provider in the persistent catalog (<see cref="WinsockCatalog.FilePath"/>). <paramref name="lpszProviderDllPath"/>
    /// is a catalog path: an assembly file (<c>PATH</c>, whose <see cref="WSPProviderEntryAttribute"/> names the entry type)
    /// or <c>PATH!Namespace.Type</c>; a relative path is relative to the Winsock2 assemblies' directory. Layered entries
    /// (ChainLen 0) and base entries get new catalog ids (never reused) and go at the end of the catalog; a chain
    /// (ChainLen &gt; 1) may name only entries already installed, never one layer twice. API instances started after the
    /// install, in any process, see the new entries. Errors: WSAEFAULT (no list, or fewer entries than
    /// <paramref name="dwNumberOfEntries"/>), WSAEINVAL (no path, a bad chain, or the provider id is already installed),
    /// WSANO_RECOVERY (the catalog file is corrupt, or cannot be locked or written).
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
            Diagnostics.InternalFailure("WSCInstallProvider", e);
            lpErrno = WSANO_RECOVERY;
            return SOCKET_ERROR;
        }
    }

    /// <summary>
    /// Installs a layered service provider and its chains in one step, as Windows does: one LAYERED_PROTOCOL entry named
    /// <paramref name="lpszLspName"/> (its XP1_IFS_HANDLES taken from <paramref name="dwServiceFlags"/>), and a chain
    /// [layer, base] under <paramref name="lpProviderId"/> over each entry <paramref name="lpProtocolInfoList"/> names: an
    /// info whose dwCatalogEntryId is an installed base entry (or chain) covers exactly that entry; one with
    /// dwCatalogEntryId 0 covers every base entry with its iAddressFamily, iSocketType and iProtocol. The chains are placed
    /// just before the first entry they cover, so WSASocket picks them and no WSCWriteProviderOrder is needed; the layered
    /// entry goes last. <paramref name="lpdwCatalogEntryId"/> receives the layered entry's id. WSCDeinstallProvider of
    /// <paramref name="lpProviderId"/> removes the layer and its chains together. Errors as WSCInstallProvider; WSAEINVAL
    /// also when an info covers no entry.
    /// </summary>
    public static int WSCInstallProviderAndChains(Guid lpProviderId, string lpszProviderDllPath, string lpszLspName, uint dwServiceFlags,
        WSAPROTOCOL_INFOW[] lpProtocolInfoList, uint dwNumberOfEntries, out uint lpdwCatalogEntryId, out int lpErrno)
    {
        lpdwCatalogEntryId = 0;
        try
        {
            if (lpProtocolInfoList is null || dwNumberOfEntries == 0 || dwNumberOfEntries > lpProtocolInfoList.Length)
            {
                lpErrno = WSAEFAULT;
                return SOCKET_ERROR;
            }
            return ProtocolCatalog.InstallAndChains(lpProviderId, lpszProviderDllPath, lpszLspName ?? "", dwServiceFlags,
                lpProtocolInfoList[..(int)dwNumberOfEntries], out lpdwCatalogEntryId, out lpErrno);
        }
        catch (Exception e)
        {
            Diagnostics.InternalFailure("WSCInstallProviderAndChains", e);
            lpErrno = WSANO_RECOVERY;
            return SOCKET_ERROR;
        }
    }

    /// <summary>
    /// Removes every entry of a provider from the persistent catalog. WSAEINVAL if it is not installed, and also (a choice:
    /// Windows leaves the case undocumented) while a chain of another provider still names one of its entries, since
    /// that chain could no longer load: remove the chain's provider first. WSANO_RECOVERY when the catalog file is
    /// corrupt, or cannot be locked or written. API instances already started keep their snapshot.
    /// </summary>
    public static int WSCDeinstallProvider(Guid lpProviderId, out int lpErrno)
    {
        try { return ProtocolCatalog.Deinstall(lpProviderId, out lpErrno); }
        catch (Exception e)
        {
            Diagnostics.InternalFailure("WSCDeinstallProvider", e);
            lpErrno = WSANO_RECOVERY;
            return SOCKET_ERROR;
        }
    }

    /// <summary>
    /// Reorders the catalog (sporder.h): <paramref name="lpwdCatalogEntryId"/> holds every catalog entry id exactly once,
    /// in the new order, which decides what WSAEnumProtocols lists first and which entry WSASocket picks. Returns 0
    /// (ERROR_SUCCESS) or the error itself, not SOCKET_ERROR: WSAEINVAL when <paramref name="dwNumberOfEntries"/> is not
    /// the number of entries, or the list names an unknown id or one id twice (nothing changes); WSANO_RECOVERY when the
    /// catalog file is corrupt, or cannot be locked or written.
    /// </summary>
    public static int WSCWriteProviderOrder(uint[] lpwdCatalogEntryId, uint dwNumberOfEntries)
    {
        try
        {
            if (lpwdCatalogEntryId is null || dwNumberOfEntries > lpwdCatalogEntryId.Length) return WSAEINVAL;
            return ProtocolCatalog.WriteOrder(lpwdCatalogEntryId[..(int)dwNumberOfEntries]);
        }
        catch (Exception e)
        {
            Diagnostics.InternalFailure("WSCWriteProviderOrder", e);
            return WSANO_RECOVERY;
        }
    }

    /// <summary>The catalog path a provider was installed with, as the catalog file has it now (WSAEINVAL if none).</summary>
    public static int WSCGetProviderPath(Guid lpProviderId, out string lpszProviderDllPath, out int lpErrno) =>
        Upcalls.Instance.WPUGetProviderPath(lpProviderId, out lpszProviderDllPath, out lpErrno);

    /// <summary>
    /// Completes an overlapped request for a non-IFS provider (exported by the API layer): fills the WSAOVERLAPPED
    /// (InternalHigh = bytes, OffsetHigh = error, Offset kept as the provider left it: the flags), sets its hEvent, and
    /// queues a packet to the completion port the socket is associated with (see <see cref="CompletionRouting"/>).
    /// WSAEFAULT without a structure; WSAENOTSOCK for a handle that is not a live socket (nothing is filled).
    /// </summary>
    public static int WPUCompleteOverlappedRequest(SOCKET s, WSAOVERLAPPED lpOverlapped, uint dwError, uint cbTransferred, out int lpErrno) =>
        CompletionRouting.Complete(s, lpOverlapped, dwError, cbTransferred, out lpErrno);
}
