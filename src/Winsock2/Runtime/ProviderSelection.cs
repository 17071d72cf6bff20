namespace Winsock2.Runtime;

/// <summary>
/// Which catalog entry WSASocket uses: the first base entry or chain in catalog order that matches
/// (af 0, type 0 wildcards; protocol 0 matches PFL_MATCHES_PROTOCOL_ZERO; iProtocol..iProtocol+iProtocolMaxOffset),
/// with Windows' error precedence as test_WSASocket's table in Wine's ws2_32 tests records it: AF_UNSPEC with
/// protocol 0 is WSAEINVAL (nothing to pick a family by); a type no catalog entry has is WSAESOCKTNOSUPPORT
/// whatever the family; then WSAEAFNOSUPPORT, WSAESOCKTNOSUPPORT (the family lacks the type), WSAEPROTONOSUPPORT.
/// </summary>
internal static class ProviderSelection
{
    public static CatalogEntry? Choose(CatalogEntry[] catalog, int af, int type, int protocol, out int errno)
    {
        if (af == Ws2_32.AF_UNSPEC && protocol == 0)
        {
            errno = Ws2_32.WSAEINVAL;
            return null;
        }
        if (type != 0 && !Array.Exists(catalog, e => !e.IsLayered && e.Info.iSocketType == type))
        {
            errno = Ws2_32.WSAESOCKTNOSUPPORT;
            return null;
        }
        bool anyAf = false, anyType = false;
        foreach (var e in catalog)
        {
            var i = e.Info;
            if (e.IsLayered || (i.dwProviderFlags & Ws2_32.PFL_HIDDEN) != 0) continue;
            if (af != Ws2_32.AF_UNSPEC && i.iAddressFamily != af) continue;
            anyAf = true;
            if (type != 0 && i.iSocketType != type) continue;
            anyType = true;
            bool protoOk = protocol == 0
                ? (i.dwProviderFlags & Ws2_32.PFL_MATCHES_PROTOCOL_ZERO) != 0
                : protocol >= i.iProtocol && protocol <= i.iProtocol + i.iProtocolMaxOffset;
            if (!protoOk) continue;
            errno = 0;
            return e;
        }
        errno = !anyAf ? Ws2_32.WSAEAFNOSUPPORT : !anyType ? Ws2_32.WSAESOCKTNOSUPPORT : Ws2_32.WSAEPROTONOSUPPORT;
        return null;
    }

    /// <summary>SPEC §3: one control-plane and one data-plane flag, each allowed by the entry's XP1_ flags.</summary>
    public static int CheckMultipointFlags(WSAPROTOCOL_INFOW info, uint flags)
    {
        const uint known = Ws2_32.WSA_FLAG_OVERLAPPED | Ws2_32.WSA_FLAG_MULTIPOINT_C_ROOT | Ws2_32.WSA_FLAG_MULTIPOINT_C_LEAF
                           | Ws2_32.WSA_FLAG_MULTIPOINT_D_ROOT | Ws2_32.WSA_FLAG_MULTIPOINT_D_LEAF
                           | 0x40 /* WSA_FLAG_ACCESS_SYSTEM_SECURITY */ | 0x80 /* WSA_FLAG_NO_HANDLE_INHERIT */
                           | Ws2_32.WSA_FLAG_REGISTERED_IO;
        if ((flags & ~known) != 0) return Ws2_32.WSAEINVAL;
        uint c = flags & (Ws2_32.WSA_FLAG_MULTIPOINT_C_ROOT | Ws2_32.WSA_FLAG_MULTIPOINT_C_LEAF);
        uint d = flags & (Ws2_32.WSA_FLAG_MULTIPOINT_D_ROOT | Ws2_32.WSA_FLAG_MULTIPOINT_D_LEAF);
        if (c == 0 && d == 0) return 0;
        if (System.Numerics.BitOperations.PopCount(c) != 1 || System.Numerics.BitOperations.PopCount(d) != 1) return Ws2_32.WSAEINVAL;
        if (!info.Has(Ws2_32.XP1_SUPPORT_MULTIPOINT)) return Ws2_32.WSAEINVAL;
        if (c == Ws2_32.WSA_FLAG_MULTIPOINT_C_ROOT && !info.Has(Ws2_32.XP1_MULTIPOINT_CONTROL_PLANE)) return Ws2_32.WSAEINVAL;
        if (d == Ws2_32.WSA_FLAG_MULTIPOINT_D_ROOT && !info.Has(Ws2_32.XP1_MULTIPOINT_DATA_PLANE)) return Ws2_32.WSAEINVAL;
        return 0;
    }
}
