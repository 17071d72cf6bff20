namespace Winsock2.Runtime;

/// <summary>
/// One version of the catalog: its entries in catalog order and the next catalog id to hand out (ids are never
/// reused). The WSC* edits are applied here, in memory; <see cref="ProtocolCatalog"/> reads and writes the file
/// around them. Each edit either applies whole and returns 0, or changes nothing and returns a Winsock error code.
/// </summary>
internal sealed class CatalogState(List<CatalogEntry> entries, uint nextId)
{
    /// <summary>The first catalog id of an empty catalog.</summary>
    public const uint FirstId = 1001;

    public List<CatalogEntry> Entries { get; } = entries;

    public uint NextId { get; private set; } = nextId;

    public CatalogState Clone() => new(Entries.Select(e => e with { Info = e.Info.Clone() }).ToList(), NextId);

    public CatalogEntry? Find(uint id) => Entries.Find(e => e.Id == id);

    /// <summary>WSCInstallProvider: entries get new catalog ids, in order, at the end of the catalog.</summary>
    public int Install(Guid providerId, string providerPath, WSAPROTOCOL_INFOW[] infos)
    {
        if (string.IsNullOrEmpty(providerPath) || infos.Length == 0 || Array.Exists(infos, i => i is null)) return Ws2_32.WSAEINVAL;
        if (Entries.Exists(e => e.Info.ProviderId == providerId)) return Ws2_32.WSAEINVAL; // a provider id is installed once
        var added = new List<CatalogEntry>();
        uint next = NextId;
        foreach (var src in infos)
        {
            var info = src.Clone();
            info.ProviderId = providerId;
            int len = info.ProtocolChain.ChainLen;
            if (len < 0 || len > Ws2_32.MAX_PROTOCOL_CHAIN || !ChainIsValid(info.ProtocolChain)) return Ws2_32.WSAEINVAL;
            info.dwCatalogEntryId = next++;
            if (len == Ws2_32.BASE_PROTOCOL) info.ProtocolChain.ChainEntries[0] = info.dwCatalogEntryId;
            added.Add(new CatalogEntry(info, providerPath));
        }
        Entries.AddRange(added);
        NextId = next;
        return 0;
    }

    /// <summary>
    /// WSCInstallProviderAndChains: one LAYERED_PROTOCOL entry named <paramref name="lspName"/>, then a chain
    /// [layer, base...] over each entry <paramref name="infos"/> names, all under <paramref name="providerId"/>. An info
    /// whose dwCatalogEntryId names an installed base entry (or chain) is layered over that entry; one with id 0 over every
    /// base entry with its iAddressFamily, iSocketType and iProtocol. The chains go just before the first of the entries
    /// they cover, so WSASocket finds them first; the layered entry goes last.
    /// </summary>
    public int InstallAndChains(Guid providerId, string providerPath, string lspName, uint serviceFlags, WSAPROTOCOL_INFOW[] infos,
        out uint layeredId)
    {
        layeredId = 0;
        if (string.IsNullOrEmpty(providerPath) || infos.Length == 0 || Array.Exists(infos, i => i is null)) return Ws2_32.WSAEINVAL;
        if (Entries.Exists(e => e.Info.ProviderId == providerId)) return Ws2_32.WSAEINVAL;
        var covered = new List<CatalogEntry>();
        foreach (var want in infos)
        {
            var matches = want.dwCatalogEntryId != 0
                ? Find(want.dwCatalogEntryId) is { IsLayered: false } e ? [e] : []
                : Entries.FindAll(e => e.Info.ProtocolChain.ChainLen == Ws2_32.BASE_PROTOCOL && e.Info.iAddressFamily == want.iAddressFamily
                                       && e.Info.iSocketType == want.iSocketType && e.Info.iProtocol == want.iProtocol);
            if (matches.Count == 0) return Ws2_32.WSAEINVAL;
            foreach (var m in matches)
            {
                if (m.Info.ProtocolChain.ChainLen >= Ws2_32.MAX_PROTOCOL_CHAIN) return Ws2_32.WSAEINVAL;
                if (!covered.Contains(m)) covered.Add(m);
            }
        }

        uint next = NextId;
        var layered = covered[0].Info.Clone();
        layered.ProviderId = providerId;
        layered.dwCatalogEntryId = next++;
        layered.ProtocolChain = new WSAPROTOCOLCHAIN(Ws2_32.LAYERED_PROTOCOL);
        layered.dwServiceFlags1 = (layered.dwServiceFlags1 & ~Ws2_32.XP1_IFS_HANDLES) | (serviceFlags & Ws2_32.XP1_IFS_HANDLES);
        layered.szProtocol = Truncate(lspName);

        var chains = new List<CatalogEntry>();
        foreach (var target in covered)
        {
            var chain = target.Info.Clone();
            chain.ProviderId = providerId;
            chain.dwCatalogEntryId = next++;
            var below = target.Info.ProtocolChain;
            var ids = new uint[below.ChainLen + 1];
            ids[0] = layered.dwCatalogEntryId;
            Array.Copy(below.ChainEntries, 0, ids, 1, below.ChainLen);
            chain.ProtocolChain = new WSAPROTOCOLCHAIN(ids.Length, ids);
            // A non-IFS layer hands out its own handles, so its chains are non-IFS whatever the base is.
            chain.dwServiceFlags1 = (chain.dwServiceFlags1 & ~Ws2_32.XP1_IFS_HANDLES) | (serviceFlags & Ws2_32.XP1_IFS_HANDLES);
            chain.szProtocol = Truncate($"{lspName} over [{target.Info.szProtocol}]");
            chains.Add(new CatalogEntry(chain, providerPath));
        }

        int at = covered.Min(c => Entries.IndexOf(c));
        Entries.InsertRange(at, chains);
        Entries.Add(new CatalogEntry(layered, providerPath));
        NextId = next;
        layeredId = layered.dwCatalogEntryId;
        return 0;
    }

    /// <summary>
    /// WSCDeinstallProvider: removes every entry of the provider. WSAEINVAL when none is installed, or when a chain of
    /// another provider still names one of its entries (that chain's provider must be removed first).
    /// </summary>
    public int Deinstall(Guid providerId)
    {
        if (!Entries.Exists(e => e.Info.ProviderId == providerId) || UsersOf(providerId).Any()) return Ws2_32.WSAEINVAL;
        Entries.RemoveAll(e => e.Info.ProviderId == providerId);
        return 0;
    }

    /// <summary>The chains of other providers that name an entry of <paramref name="providerId"/>.</summary>
    public IEnumerable<CatalogEntry> UsersOf(Guid providerId)
    {
        var mine = Entries.Where(e => e.Info.ProviderId == providerId).Select(e => e.Id).ToHashSet();
        return Entries.Where(e => e.IsChain && e.Info.ProviderId != providerId
                                  && e.Info.ProtocolChain.ChainEntries.Take(e.Info.ProtocolChain.ChainLen).Any(mine.Contains));
    }

    /// <summary>WSCWriteProviderOrder: <paramref name="order"/> must hold every catalog id exactly once (else WSAEINVAL).</summary>
    public int WriteOrder(uint[] order)
    {
        if (order.Length != Entries.Count || order.Distinct().Count() != order.Length) return Ws2_32.WSAEINVAL;
        var byId = Entries.ToDictionary(e => e.Id);
        if (!Array.TrueForAll(order, byId.ContainsKey)) return Ws2_32.WSAEINVAL;
        var reordered = order.Select(id => byId[id]).ToList();
        Entries.Clear();
        Entries.AddRange(reordered);
        return 0;
    }

    /// <summary>A catalog holding only <paramref name="providers"/>, installed in order with ids from <paramref name="nextId"/>; a provider that fails to install is reported to <paramref name="failed"/> and left out.</summary>
    public static CatalogState Fresh(uint nextId, IEnumerable<(Guid Id, string Path, WSAPROTOCOL_INFOW[] Infos)> providers, Action<string, int> failed)
    {
        var state = new CatalogState([], nextId);
        foreach (var (id, path, infos) in providers)
        {
            int rc = state.Install(id, path, infos);
            if (rc != 0) failed(path, rc);
        }
        return state;
    }

    /// <summary>A chain names only installed entries, ends in a base entry, and holds no layer twice.</summary>
    private bool ChainIsValid(WSAPROTOCOLCHAIN chain)
    {
        if (chain.ChainLen <= 1) return true;
        var seen = new HashSet<uint>();
        for (int i = 0; i < chain.ChainLen; i++)
        {
            uint id = chain.ChainEntries[i];
            var entry = Find(id);
            if (entry is null || !seen.Add(id)) return false;
            bool last = i == chain.ChainLen - 1;
            if (last != (entry.Info.ProtocolChain.ChainLen == Ws2_32.BASE_PROTOCOL)) return false;
        }
        return true;
    }

    private static string Truncate(string s) => s.Length > Ws2_32.WSAPROTOCOL_LEN ? s[..Ws2_32.WSAPROTOCOL_LEN] : s;
}
