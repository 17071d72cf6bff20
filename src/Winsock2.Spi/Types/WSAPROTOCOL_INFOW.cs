namespace Winsock2;

/// <summary>A protocol chain: ChainLen 0 = layered entry, 1 = base, more = chain (entries top to base).</summary>
public struct WSAPROTOCOLCHAIN
{
    /// <summary>Number of entries in <see cref="ChainEntries"/> that are used.</summary>
    public int ChainLen;
    /// <summary>Catalog entry ids, top layer first, base last (MAX_PROTOCOL_CHAIN = 7).</summary>
    public uint[] ChainEntries;

    /// <summary>A chain of the given entries.</summary>
    public WSAPROTOCOLCHAIN(int chainLen, params uint[] entries)
    {
        ChainLen = chainLen;
        ChainEntries = new uint[Ws2Spi.MAX_PROTOCOL_CHAIN];
        Array.Copy(entries, ChainEntries, Math.Min(entries.Length, Ws2Spi.MAX_PROTOCOL_CHAIN));
    }
}

/// <summary>A catalog entry describing one protocol of one provider.</summary>
public sealed class WSAPROTOCOL_INFOW
{
#pragma warning disable CS1591 // Field names are the header's; SPEC §2 documents each.
    public uint dwServiceFlags1;
    public uint dwServiceFlags2;
    public uint dwServiceFlags3;
    public uint dwServiceFlags4;
    public uint dwProviderFlags;
    public Guid ProviderId;
    public uint dwCatalogEntryId;
    public WSAPROTOCOLCHAIN ProtocolChain = new(1);
    public int iVersion = 2;
    public int iAddressFamily;
    public int iMaxSockAddr;
    public int iMinSockAddr;
    public int iSocketType;
    public int iProtocol;
    public int iProtocolMaxOffset;
    public int iNetworkByteOrder;
    public int iSecurityScheme;
    public uint dwMessageSize;
    public uint dwProviderReserved;
    public string szProtocol = "";
#pragma warning restore CS1591

    /// <summary>The size of this structure in C (WSAPROTOCOL_INFOW is 628 bytes), used for buffer-length arithmetic.</summary>
    public const int Size = 628;

    /// <summary>A deep copy.</summary>
    public WSAPROTOCOL_INFOW Clone()
    {
        var c = (WSAPROTOCOL_INFOW)MemberwiseClone();
        c.ProtocolChain = new WSAPROTOCOLCHAIN(ProtocolChain.ChainLen, ProtocolChain.ChainEntries ?? []);
        return c;
    }

    /// <summary>True if every bit of <paramref name="flags"/> is set in dwServiceFlags1.</summary>
    public bool Has(uint flags) => (dwServiceFlags1 & flags) == flags;

    /// <inheritdoc />
    public override string ToString() => $"{dwCatalogEntryId}: {szProtocol}";
}
