using Winsock2.Kernel;

namespace Winsock2.Runtime;

/// <summary>
/// The process-wide protocol catalog (Windows keeps it in the registry). The built-in providers are installed
/// first, by assembly path, from what each one's <see cref="IWSPProviderSetup"/> says (the API layer never names a
/// provider type); WSCInstallProvider adds more. API instances snapshot it at their first WSAStartup.
/// </summary>
internal static class ProtocolCatalog
{
    private static readonly object Gate = new();
    private static readonly List<CatalogEntry> Entries = new();
    private static uint _nextId = 1001;

    /// <summary>The providers the default catalog holds, by path relative to the Winsock2 assemblies.</summary>
    public static readonly string[] BuiltInProviders = ["Winsock2.Providers.Inet.dll", "Winsock2.Providers.Rooted.dll"];

    static ProtocolCatalog()
    {
        foreach (var path in BuiltInProviders) InstallBuiltIn(path);
    }

    /// <summary>Installs a provider by path from its own setup description; a provider that is absent is left out and reported.</summary>
    private static void InstallBuiltIn(string path)
    {
        if (ProviderModule.Create(path, out string? reason) is not IWSPProviderSetup setup)
        {
            Diagnostics.CallbackFailed("default catalog", new FileNotFoundException(reason ?? $"{path} has no IWSPProviderSetup"));
            return;
        }
        if (Install(setup.ProviderId, path, setup.GetProtocolInfos(), out int errno) != 0)
            Diagnostics.CallbackFailed("default catalog", new InvalidOperationException($"{path} failed to install: {errno}"));
    }

    public static CatalogEntry[] Snapshot()
    {
        lock (Gate) return Entries.Select(e => e with { Info = e.Info.Clone() }).ToArray();
    }

    /// <summary>WSCInstallProvider: entries get catalog ids in order; chains must name installed entries.</summary>
    public static int Install(Guid providerId, string providerPath, WSAPROTOCOL_INFOW[] infos, out int errno)
    {
        errno = 0;
        if (string.IsNullOrEmpty(providerPath) || infos.Length == 0 || Array.Exists(infos, i => i is null))
        {
            errno = Ws2_32.WSAEINVAL;
            return Ws2_32.SOCKET_ERROR;
        }
        lock (Gate)
        {
            if (Entries.Exists(e => e.Info.ProviderId == providerId))
            {
                errno = Ws2_32.WSAEINVAL; // a provider id is installed once
                return Ws2_32.SOCKET_ERROR;
            }
            var added = new List<CatalogEntry>();
            foreach (var src in infos)
            {
                var info = src.Clone();
                info.ProviderId = providerId;
                int len = info.ProtocolChain.ChainLen;
                if (len < 0 || len > Ws2_32.MAX_PROTOCOL_CHAIN || !ChainIsValid(info.ProtocolChain))
                {
                    errno = Ws2_32.WSAEINVAL;
                    return Ws2_32.SOCKET_ERROR;
                }
                info.dwCatalogEntryId = _nextId++;
                if (len == Ws2_32.BASE_PROTOCOL) info.ProtocolChain.ChainEntries[0] = info.dwCatalogEntryId;
                added.Add(new CatalogEntry(info, providerPath));
            }
            Entries.AddRange(added);
            return 0;
        }
    }

    /// <summary>A chain names only installed entries, ends in a base entry, and holds no layer twice.</summary>
    private static bool ChainIsValid(WSAPROTOCOLCHAIN chain)
    {
        if (chain.ChainLen <= 1) return true;
        var seen = new HashSet<uint>();
        for (int i = 0; i < chain.ChainLen; i++)
        {
            uint id = chain.ChainEntries[i];
            var entry = Entries.Find(e => e.Id == id);
            if (entry is null || !seen.Add(id)) return false;
            bool last = i == chain.ChainLen - 1;
            if (last != (entry.Info.ProtocolChain.ChainLen == Ws2_32.BASE_PROTOCOL)) return false;
        }
        return true;
    }

    /// <summary>WSCDeinstallProvider: removes every entry of the provider.</summary>
    public static int Deinstall(Guid providerId, out int errno)
    {
        lock (Gate)
        {
            int removed = Entries.RemoveAll(e => e.Info.ProviderId == providerId);
            errno = removed == 0 ? Ws2_32.WSAEINVAL : 0;
            return removed == 0 ? Ws2_32.SOCKET_ERROR : 0;
        }
    }

    public static string? ProviderPath(Guid providerId)
    {
        lock (Gate) return Entries.Find(e => e.Info.ProviderId == providerId)?.ProviderPath;
    }
}
