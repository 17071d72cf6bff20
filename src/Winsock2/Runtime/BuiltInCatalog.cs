using Winsock2.Kernel;

namespace Winsock2.Runtime;

/// <summary>
/// The default catalog: the built-in providers, installed by path from what each one's <see cref="IWSPProviderSetup"/>
/// says (the API layer never names a provider type). Used while no catalog file exists, and written by a reset.
/// </summary>
internal static class BuiltInCatalog
{
    /// <summary>The providers the default catalog holds, by path relative to the Winsock2 assemblies.</summary>
    public static readonly string[] Providers = ["Winsock2.Providers.Inet.dll", "Winsock2.Providers.Rooted.dll"];

    private static readonly Lazy<(Guid Id, string Path, WSAPROTOCOL_INFOW[] Infos)[]> Setups = new(ReadSetups);
    private static readonly Lazy<CatalogState> Default = new(() => Build(CatalogState.FirstId));

    /// <summary>A copy of the default catalog as a process with no catalog file sees it (ids from 1001).</summary>
    public static CatalogState Defaults() => Default.Value.Clone();

    /// <summary>The default entries with catalog ids from <paramref name="nextId"/> (a reset keeps the id counter).</summary>
    public static CatalogState Build(uint nextId) => CatalogState.Fresh(nextId,
        Setups.Value.Select(s => (s.Id, s.Path, s.Infos.Select(i => i.Clone()).ToArray())),
        (path, errno) => Diagnostics.CallbackFailed("default catalog", new InvalidOperationException($"{path} failed to install: {errno}")));

    /// <summary>Each built-in provider's setup, once per process; a provider that is absent is left out and reported.</summary>
    private static (Guid, string, WSAPROTOCOL_INFOW[])[] ReadSetups()
    {
        var setups = new List<(Guid, string, WSAPROTOCOL_INFOW[])>();
        foreach (var path in Providers)
        {
            try
            {
                if (ProviderModule.Create(path, out string? reason) is not IWSPProviderSetup setup)
                {
                    Diagnostics.CallbackFailed("default catalog", new FileNotFoundException(reason ?? $"{path} has no IWSPProviderSetup"));
                    continue;
                }
                setups.Add((setup.ProviderId, path, setup.GetProtocolInfos()));
            }
            catch (Exception e)
            {
                Diagnostics.CallbackFailed("default catalog", e);
            }
        }
        return setups.ToArray();
    }
}
