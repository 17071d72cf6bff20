namespace Winsock2.Runtime;

/// <summary>A provider started for one catalog entry: its instance and the procedure table WSPStartup returned.</summary>
internal sealed record LoadedProvider(CatalogEntry Entry, IWSPProvider Instance, WSPPROC_TABLE Table);
