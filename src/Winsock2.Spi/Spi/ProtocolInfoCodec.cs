using System.Buffers.Binary;
using System.Text;

namespace Winsock2;

/// <summary>WSAPROTOCOL_INFOW in its C layout (628 bytes), for SO_PROTOCOL_INFOW and byte buffers.</summary>
public static class ProtocolInfoCodec
{
    /// <summary>Writes <paramref name="info"/> into <paramref name="b"/> (at least WSAPROTOCOL_INFOW.Size bytes).</summary>
    public static void Write(WSAPROTOCOL_INFOW info, byte[] b)
    {
        Array.Clear(b, 0, WSAPROTOCOL_INFOW.Size);
        int o = 0;
        void U(uint v) { BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(o), v); o += 4; }
        void I(int v) { BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(o), v); o += 4; }
        U(info.dwServiceFlags1); U(info.dwServiceFlags2); U(info.dwServiceFlags3); U(info.dwServiceFlags4);
        U(info.dwProviderFlags);
        info.ProviderId.TryWriteBytes(b.AsSpan(o, 16)); o += 16;
        U(info.dwCatalogEntryId);
        I(info.ProtocolChain.ChainLen);
        for (int i = 0; i < Ws2Spi.MAX_PROTOCOL_CHAIN; i++) U(info.ProtocolChain.ChainEntries?[i] ?? 0);
        I(info.iVersion); I(info.iAddressFamily); I(info.iMaxSockAddr); I(info.iMinSockAddr); I(info.iSocketType);
        I(info.iProtocol); I(info.iProtocolMaxOffset); I(info.iNetworkByteOrder); I(info.iSecurityScheme);
        U(info.dwMessageSize); U(info.dwProviderReserved);
        var name = info.szProtocol.Length > Ws2Spi.WSAPROTOCOL_LEN ? info.szProtocol[..Ws2Spi.WSAPROTOCOL_LEN] : info.szProtocol;
        Encoding.Unicode.GetBytes(name, b.AsSpan(o));
    }

    /// <summary>Reads a WSAPROTOCOL_INFOW written by <see cref="Write"/>.</summary>
    public static WSAPROTOCOL_INFOW Read(byte[] b)
    {
        int o = 0;
        uint U() { var v = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(o)); o += 4; return v; }
        int I() { var v = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(o)); o += 4; return v; }
        var info = new WSAPROTOCOL_INFOW
        {
            dwServiceFlags1 = U(), dwServiceFlags2 = U(), dwServiceFlags3 = U(), dwServiceFlags4 = U(), dwProviderFlags = U(),
        };
        info.ProviderId = new Guid(b.AsSpan(o, 16)); o += 16;
        info.dwCatalogEntryId = U();
        int len = I();
        var entries = new uint[Ws2Spi.MAX_PROTOCOL_CHAIN];
        for (int i = 0; i < entries.Length; i++) entries[i] = U();
        info.ProtocolChain = new WSAPROTOCOLCHAIN(len, entries);
        info.iVersion = I(); info.iAddressFamily = I(); info.iMaxSockAddr = I(); info.iMinSockAddr = I(); info.iSocketType = I();
        info.iProtocol = I(); info.iProtocolMaxOffset = I(); info.iNetworkByteOrder = I(); info.iSecurityScheme = I();
        info.dwMessageSize = U(); info.dwProviderReserved = U();
        var text = Encoding.Unicode.GetString(b, o, 512);
        int nul = text.IndexOf('\0');
        info.szProtocol = nul >= 0 ? text[..nul] : text;
        return info;
    }
}
