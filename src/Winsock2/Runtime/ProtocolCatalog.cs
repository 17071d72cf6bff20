using Winsock2.Kernel;

namespace Winsock2.Runtime;

/// <summary>
/// The protocol catalog, kept in one file (<see cref="CatalogFile"/>) as Windows keeps it in the registry. Every read
/// takes the file as it is now, so another process's install is seen; while there is no file the built-in defaults
/// (<see cref="BuiltInCatalog"/>) are used, and a corrupt or unreadable file gives the defaults and one error
/// (<see cref="LoadError"/>). Every change is a read-modify-write under the file lock (<see cref="CatalogFileLock"/>),
/// written atomically; a change to a corrupt file is refused (WSANO_RECOVERY) except <see cref="Reset"/>.
/// API instances snapshot the catalog at their first WSAStartup.
/// </summary>
internal static class ProtocolCatalog
{
    private static readonly object Gate = new();
    private static readonly object ErrorGate = new();
    private static string? _loadError, _reported;

    /// <summary>The providers the default catalog holds, by path relative to the Winsock2 assemblies.</summary>
    public static string[] BuiltInProviders => BuiltInCatalog.Providers;

    /// <summary>Why the catalog file could not be used at the last read (null when it was read, or there is none).</summary>
    public static string? LoadError
    {
        get { lock (ErrorGate) return _loadError; }
    }

    /// <summary>The catalog as the file has it now (the defaults without a usable file), entries cloned.</summary>
    public static CatalogEntry[] Snapshot() => Load().Entries.ToArray();

    /// <summary>WSCInstallProvider: entries get new catalog ids in order, at the end; chains must name installed entries.</summary>
    public static int Install(Guid providerId, string providerPath, WSAPROTOCOL_INFOW[] infos, out int errno) =>
        Change("WSCInstallProvider", s => s.Install(providerId, providerPath, infos), out errno);

    /// <summary>WSCInstallProviderAndChains (see <see cref="CatalogState.InstallAndChains"/>).</summary>
    public static int InstallAndChains(Guid providerId, string providerPath, string lspName, uint serviceFlags, WSAPROTOCOL_INFOW[] infos,
        out uint layeredId, out int errno)
    {
        uint id = 0;
        int rc = Change("WSCInstallProviderAndChains", s => s.InstallAndChains(providerId, providerPath, lspName, serviceFlags, infos, out id), out errno);
        layeredId = id;
        return rc;
    }

    /// <summary>WSCDeinstallProvider: removes every entry of the provider, unless another provider's chain names one.</summary>
    public static int Deinstall(Guid providerId, out int errno) =>
        Change("WSCDeinstallProvider", s => s.Deinstall(providerId), out errno);

    /// <summary>WSCWriteProviderOrder: 0, or WSAEINVAL when the ids are not a permutation of the catalog's, or WSANO_RECOVERY.</summary>
    public static int WriteOrder(uint[] order)
    {
        Change("WSCWriteProviderOrder", s => s.WriteOrder(order), out int errno);
        return errno;
    }

    /// <summary>
    /// <c>netsh winsock reset</c>: writes the built-in defaults, also over a corrupt file. Their catalog ids continue
    /// the file's counter when it is readable, so no id is reused.
    /// </summary>
    public static int Reset(out int errno) => Change("reset", null, out errno);

    public static string? ProviderPath(Guid providerId) =>
        Array.Find(Snapshot(), e => e.Info.ProviderId == providerId)?.ProviderPath;

    /// <summary>Reads the file (or the defaults) and records the outcome in <see cref="LoadError"/>.</summary>
    private static CatalogState Load()
    {
        var state = CatalogFile.Read(CatalogFile.Path, out string? error);
        Record(error);
        return state ?? BuiltInCatalog.Defaults();
    }

    /// <summary>Keeps the last read's error; a new error is reported once through Diagnostics.</summary>
    private static void Record(string? error)
    {
        bool report;
        lock (ErrorGate)
        {
            _loadError = error;
            report = error is not null && error != _reported;
            _reported = error;
        }
        if (report)
            Diagnostics.CallbackFailed("protocol catalog", new InvalidDataException(error + "; using the built-in defaults (a reset rewrites it)"));
    }

    /// <summary>
    /// One read-modify-write under the lock; <paramref name="edit"/> null is a reset. Returns 0, or SOCKET_ERROR with
    /// the edit's error, or WSANO_RECOVERY when the file cannot be locked, is corrupt, or cannot be written.
    /// </summary>
    private static int Change(string what, Func<CatalogState, int>? edit, out int errno)
    {
        lock (Gate)
        {
            var path = CatalogFile.Path;
            using var fileLock = CatalogFileLock.Acquire(path, out string? reason);
            if (fileLock is null) return Failed(what, reason!, out errno);
            var current = CatalogFile.Read(path, out string? error);
            Record(error);
            CatalogState next;
            if (edit is null)
            {
                next = BuiltInCatalog.Build(Math.Max(current?.NextId ?? 0, CatalogState.FirstId));
            }
            else
            {
                if (error is not null) return Failed(what, error, out errno);
                next = current ?? BuiltInCatalog.Defaults();
                errno = edit(next);
                if (errno != 0) return Ws2_32.SOCKET_ERROR;
            }
            try
            {
                CatalogFile.Write(path, next);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Failed(what, $"cannot write {path} ({e.Message})", out errno);
            }
            Record(null);
            errno = 0;
            return 0;
        }
    }

    private static int Failed(string what, string why, out int errno)
    {
        Diagnostics.CallbackFailed(what, new IOException(why));
        errno = Ws2_32.WSANO_RECOVERY;
        return Ws2_32.SOCKET_ERROR;
    }
}
