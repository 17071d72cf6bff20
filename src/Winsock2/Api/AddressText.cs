using System.Net;
using System.Net.Sockets;

namespace Winsock2;

/// <summary>Addresses as text: inet_addr, inet_ntoa, inet_pton / InetPtonW and inet_ntop / InetNtopW.</summary>
public static partial class Ws2_32
{
    /// <summary>
    /// An IPv4 address in the forms inet_addr has always taken — a.b.c.d, a.b.c (c 16 bits), a.b (b 24 bits) or a
    /// (32 bits), each part decimal, octal (leading 0) or hexadecimal (0x) — as its network-order value; the address
    /// ends at the first white-space character. INADDR_NONE for anything else, "" included; null also sets WSAEFAULT.
    /// As Windows does, a string of one space is 0 (INADDR_ANY).
    /// </summary>
    public static uint inet_addr(string? cp)
    {
        if (cp is null) { Dispatch.SetError(WSAEFAULT); return INADDR_NONE; }
        if (cp == " ") return INADDR_ANY;
        if (cp.Length == 0) return INADDR_NONE;
        int end = cp.IndexOfAny([' ', '\t', '\n', '\v', '\f', '\r']);
        var text = end < 0 ? cp : cp[..end];
        var parts = text.Split('.');
        if (parts.Length is < 1 or > 4) return INADDR_NONE;
        var values = new ulong[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!TryParseAddressPart(parts[i], out values[i])) return INADDR_NONE;
        ulong host;
        switch (values.Length)
        {
            case 1: if (values[0] > 0xFFFFFFFF) return INADDR_NONE; host = values[0]; break;
            case 2: if (values[0] > 0xFF || values[1] > 0xFFFFFF) return INADDR_NONE; host = values[0] << 24 | values[1]; break;
            case 3:
                if (values[0] > 0xFF || values[1] > 0xFF || values[2] > 0xFFFF) return INADDR_NONE;
                host = values[0] << 24 | values[1] << 16 | values[2];
                break;
            default:
                if (Array.Exists(values, v => v > 0xFF)) return INADDR_NONE;
                host = values[0] << 24 | values[1] << 16 | values[2] << 8 | values[3];
                break;
        }
        return htonl((uint)host);
    }

    private static bool TryParseAddressPart(string part, out ulong value)
    {
        value = 0;
        if (part.Length == 0) return false;
        int radix = 10, at = 0;
        if (part.Length > 1 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) { radix = 16; at = 2; }
        else if (part.Length > 1 && part[0] == '0') { radix = 8; at = 1; }
        if (at == part.Length && radix == 16) return false;
        for (; at < part.Length; at++)
        {
            int d = part[at] switch
            {
                >= '0' and <= '9' => part[at] - '0',
                >= 'a' and <= 'f' => part[at] - 'a' + 10,
                >= 'A' and <= 'F' => part[at] - 'A' + 10,
                _ => 99,
            };
            if (d >= radix) return false;
            value = value * (ulong)radix + (ulong)d;
            if (value > 0xFFFFFFFF) return false;
        }
        return true;
    }

    /// <summary>An IPv4 address as dotted decimal ("127.0.0.1").</summary>
    public static string inet_ntoa(IN_ADDR @in)
    {
        var b = @in.GetBytes();
        return $"{b[0]}.{b[1]}.{b[2]}.{b[3]}";
    }

    /// <summary>
    /// Text to a binary address: AF_INET takes strict dotted decimal (four decimal parts) into 4 bytes of
    /// <paramref name="pAddrBuf"/>, AF_INET6 the RFC 4291 text forms into 16 bytes. 1 on success, 0 when the text is
    /// not an address of that family, -1 with WSAEAFNOSUPPORT (other family) or WSAEFAULT (null text, buffer too small).
    /// </summary>
    public static int inet_pton(int Family, string? pszAddrString, byte[]? pAddrBuf)
    {
        if (Family != AF_INET && Family != AF_INET6) return Fail(WSAEAFNOSUPPORT);
        int size = Family == AF_INET ? 4 : 16;
        if (pszAddrString is null || pAddrBuf is null || pAddrBuf.Length < size) return Fail(WSAEFAULT);
        if (!TryParseStrict(Family, pszAddrString, out var address)) return 0;
        address.GetAddressBytes().CopyTo(pAddrBuf, 0);
        return 1;

        static int Fail(int code)
        {
            Dispatch.SetError(code);
            return -1;
        }
    }

    /// <summary>inet_pton for wide strings (the same here: C# strings are UTF-16).</summary>
    public static int InetPtonW(int Family, string? pszAddrString, byte[]? pAddrBuf) => inet_pton(Family, pszAddrString, pAddrBuf);

    private static bool TryParseStrict(int family, string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (family == AF_INET)
        {
            var parts = text.Split('.');
            if (parts.Length != 4) return false;
            var bytes = new byte[4];
            for (int i = 0; i < 4; i++)
            {
                var p = parts[i];
                if (p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0')) return false;
                int v = int.Parse(p, System.Globalization.CultureInfo.InvariantCulture);
                if (v > 255) return false;
                bytes[i] = (byte)v;
            }
            address = new IPAddress(bytes);
            return true;
        }
        var bytes6 = new byte[16];
        if (!TryParseIPv6(text, bytes6)) return false;
        address = new IPAddress(bytes6);
        return true;
    }

    /// <summary>
    /// RFC 4291 text: eight groups of 1-4 hex digits, or fewer around one "::" standing for at least one zero group,
    /// the last 32 bits optionally as a strict dotted quad. No zone, prefix or brackets.
    /// </summary>
    private static bool TryParseIPv6(string text, byte[] into)
    {
        int gap = text.IndexOf("::", StringComparison.Ordinal);
        if (gap >= 0 && text.IndexOf("::", gap + 1, StringComparison.Ordinal) >= 0) return false;
        var head = gap < 0 ? text : text[..gap];
        var tail = gap < 0 ? "" : text[(gap + 2)..];
        var groups = new List<ushort>();
        var after = new List<ushort>();
        if (!Groups(head, groups, allowV4: gap < 0) || !Groups(tail, after, allowV4: true)) return false;
        int count = groups.Count + after.Count;
        if (gap < 0 ? count != 8 : count > 7) return false;
        for (int i = 0; i < 8; i++)
        {
            ushort v = i < groups.Count ? groups[i] : i >= 8 - after.Count ? after[i - (8 - after.Count)] : (ushort)0;
            into[2 * i] = (byte)(v >> 8);
            into[2 * i + 1] = (byte)v;
        }
        return true;

        static bool Groups(string part, List<ushort> into, bool allowV4)
        {
            if (part.Length == 0) return true;
            var fields = part.Split(':');
            for (int i = 0; i < fields.Length; i++)
            {
                var f = fields[i];
                if (i == fields.Length - 1 && allowV4 && f.Contains('.'))
                {
                    if (!TryParseStrict(AF_INET, f, out var v4)) return false;
                    var b = v4.GetAddressBytes();
                    into.Add((ushort)(b[0] << 8 | b[1]));
                    into.Add((ushort)(b[2] << 8 | b[3]));
                    continue;
                }
                if (f.Length is 0 or > 4 || !f.All(char.IsAsciiHexDigit)) return false;
                into.Add(ushort.Parse(f, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));
            }
            return true;
        }
    }

    /// <summary>
    /// A binary address as text into <paramref name="pStringBuf"/> (NUL-terminated, at most <paramref name="StringBufSize"/>
    /// characters with the NUL; INET_ADDRSTRLEN / INET6_ADDRSTRLEN always suffice). Returns the text, or null with
    /// WSAEAFNOSUPPORT (family) or ERROR_INVALID_PARAMETER (null address or buffer, size 0, buffer too small).
    /// </summary>
    public static string? inet_ntop(int Family, byte[]? pAddr, char[]? pStringBuf, nuint StringBufSize)
    {
        if (Family != AF_INET && Family != AF_INET6) { Dispatch.SetError(WSAEAFNOSUPPORT); return null; }
        int size = Family == AF_INET ? 4 : 16;
        if (pAddr is null || pAddr.Length < size || pStringBuf is null || StringBufSize == 0)
        {
            Dispatch.SetError(ERROR_INVALID_PARAMETER);
            return null;
        }
        var text = new IPAddress(pAddr.AsSpan(0, size)).ToString();
        if (CopyCString(text, pStringBuf, (uint)Math.Min(StringBufSize, uint.MaxValue))) return text;
        Dispatch.SetError(ERROR_INVALID_PARAMETER);
        return null;
    }

    /// <summary>inet_ntop for wide strings (the same here: C# strings are UTF-16).</summary>
    public static string? InetNtopW(int Family, byte[]? pAddr, char[]? pStringBuf, nuint StringBufSize) =>
        inet_ntop(Family, pAddr, pStringBuf, StringBufSize);
}
