using Winsock2.Kernel;
namespace Winsock2.Runtime;

/// <summary>
/// The API layer's process state: the WSAStartup reference count, the catalog snapshot taken at the first
/// WSAStartup, the providers started so far (one WSPStartup per catalog entry), and the socket handle table.
/// </summary>
internal static class ApiInstance
{
    private static readonly object Gate = new();
    private static int _refCount;
    private static CatalogEntry[] _catalog = [];
    private static readonly Dictionary<uint, LoadedProvider> Providers = new();

    public static readonly HandleTable<SocketEntry> Sockets = new();

    public static bool IsStarted => Volatile.Read(ref _refCount) > 0;

    public static CatalogEntry[] Catalog { get { lock (Gate) return _catalog; } }

    /// <summary>Counts one WSAStartup; the first one takes the catalog snapshot.</summary>
    public static void AddRef()
    {
        lock (Gate)
        {
            if (_refCount++ == 0) _catalog = ProtocolCatalog.Snapshot();
        }
    }

    /// <summary>Counts one WSACleanup; the last closes every socket and cleans up every provider. False if not started.</summary>
    public static bool Release()
    {
        LoadedProvider[] toClean;
        lock (Gate)
        {
            if (_refCount == 0) return false;
            if (--_refCount > 0) return true;
            toClean = Providers.Values.ToArray();
        }
        foreach (var h in Sockets.Keys.ToArray())
        {
            var s = new SOCKET(h);
            if (!Sockets.TryGet(h, out var entry)) continue;
            var p = TryGetProvider(entry.CatalogEntryId, out _);
            try { p?.Table.WSPCloseSocket(s, out _); }
            catch (Exception e) { Diagnostics.InternalFailure("WSACleanup closesocket", e); }
            Sockets.TryRemove(h, out _);
        }
        foreach (var p in toClean)
        {
            try { p.Table.WSPCleanup(out _); }
            catch (Exception e) { Diagnostics.InternalFailure("WSPCleanup", e); }
        }
        lock (Gate)
        {
            if (_refCount == 0)
            {
                foreach (var p in toClean)
                {
                    Providers.Remove(p.Entry.Id);
                    p.Retired = true;
                }
                _catalog = [];
            }
        }
        return true;
    }

    /// <summary>The started provider for a catalog entry, starting it on first use (0 or an error code).</summary>
    public static LoadedProvider? TryGetProvider(uint catalogEntryId, out int errno)
    {
        errno = 0;
        lock (Gate)
        {
            if (Providers.TryGetValue(catalogEntryId, out var loaded)) return loaded;
            var entry = Array.Find(_catalog, e => e.Id == catalogEntryId);
            if (entry is null)
            {
                // A base entry a layer started privately may still own handles: find it in the full catalog.
                entry = Array.Find(ProtocolCatalog.Snapshot(), e => e.Id == catalogEntryId);
                if (entry is null) { errno = Ws2_32.WSAEINVALIDPROVIDER; return null; }
            }
            loaded = Start(entry, out errno);
            if (loaded is not null) Providers[catalogEntryId] = loaded;
            return loaded;
        }
    }

    private static LoadedProvider? Start(CatalogEntry entry, out int errno)
    {
        errno = 0;
        try
        {
            if (ProviderModule.Create(entry.ProviderPath, out string? reason) is not { } instance)
            {
                Diagnostics.CallbackFailed("WSPStartup", new FileNotFoundException(reason));
                errno = Ws2_32.WSAEPROVIDERFAILEDINIT;
                return null;
            }
            int rc = instance.WSPStartup(0x0202, out var data, entry.Info.Clone(), Upcalls.Instance, out var table);
            if (rc != 0) { errno = rc; return null; }
            if (table is null) { errno = Ws2_32.WSAEINVALIDPROCTABLE; return null; }
            if (data.wVersion != 0x0202) { table.WSPCleanup(out _); errno = Ws2_32.WSAEINVALIDPROVIDER; return null; }
            return new LoadedProvider(entry, instance, table);
        }
        catch (Exception e)
        {
            Diagnostics.CallbackFailed("WSPStartup", e);
            errno = Ws2_32.WSAEPROVIDERFAILEDINIT;
            return null;
        }
    }
}
