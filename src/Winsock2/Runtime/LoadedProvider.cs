namespace Winsock2.Runtime;

/// <summary>A provider started for one catalog entry: its instance and the procedure table WSPStartup returned.</summary>
internal sealed record LoadedProvider(CatalogEntry Entry, IWSPProvider Instance, WSPPROC_TABLE Table)
{
    /// <summary>Set when the last WSACleanup cleaned the provider up: rows that cached it must look again.</summary>
    public bool Retired { get => Volatile.Read(ref _retired); set => Volatile.Write(ref _retired, value); }

    private bool _retired;
}
