namespace Winsock2.Runtime;

/// <summary>One installed protocol: its WSAPROTOCOL_INFOW and its provider's catalog path (<c>ASSEMBLY</c> or <c>ASSEMBLY!Namespace.Type</c>).</summary>
internal sealed record CatalogEntry(WSAPROTOCOL_INFOW Info, string ProviderPath)
{
    public uint Id => Info.dwCatalogEntryId;
    public bool IsLayered => Info.ProtocolChain.ChainLen == Ws2_32.LAYERED_PROTOCOL;
    public bool IsChain => Info.ProtocolChain.ChainLen > 1;
}
