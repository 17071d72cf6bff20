namespace Winsock2;

/// <summary>WSAAddressToString with C's caller buffer and in/out length; inet_pton / inet_ntop on IN_ADDR and IN6_ADDR.</summary>
public static partial class Ws2_32
{
    /// <summary>
    /// Formats a sockaddr into <paramref name="lpszAddressString"/>, NUL-terminated, as C's WSAAddressToStringW:
    /// <paramref name="lpdwAddressStringLength"/> is the buffer's size in characters on input and the characters
    /// written, NUL included, on output. A null or short buffer is WSAEFAULT with the length needed written back.
    /// </summary>
    public static int WSAAddressToString(byte[] lpsaAddress, int dwAddressLength, WSAPROTOCOL_INFOW? lpProtocolInfo,
        char[]? lpszAddressString, ref uint lpdwAddressStringLength)
    {
        if (WSAAddressToString(lpsaAddress, dwAddressLength, lpProtocolInfo, out string text) == SOCKET_ERROR) return SOCKET_ERROR;
        uint needed = (uint)text.Length + 1;
        if (lpszAddressString is null || lpdwAddressStringLength < needed || lpszAddressString.Length < needed)
        {
            lpdwAddressStringLength = needed;
            return Dispatch.Finish(SOCKET_ERROR, WSAEFAULT);
        }
        text.CopyTo(lpszAddressString);
        lpszAddressString[text.Length] = '\0';
        lpdwAddressStringLength = needed;
        return 0;
    }

    /// <summary>WSAAddressToString (the wide form; C# strings are UTF-16).</summary>
    public static int WSAAddressToStringW(byte[] lpsaAddress, int dwAddressLength, WSAPROTOCOL_INFOW? lpProtocolInfo,
        char[]? lpszAddressString, ref uint lpdwAddressStringLength) =>
        WSAAddressToString(lpsaAddress, dwAddressLength, lpProtocolInfo, lpszAddressString, ref lpdwAddressStringLength);

    /// <summary>inet_pton into an IPv4 address (<c>inet_pton(AF_INET, text, &amp;sin.sin_addr)</c>); other families are WSAEFAULT (too small).</summary>
    public static int inet_pton(int Family, string? pszAddrString, ref IN_ADDR pAddrBuf)
    {
        var b = new byte[4];
        int rc = inet_pton(Family, pszAddrString, b);
        if (rc == 1) pAddrBuf.s_addr = BitConverter.ToUInt32(b);
        return rc;
    }

    /// <summary>inet_pton into an IPv6 address (<c>inet_pton(AF_INET6, text, &amp;sin6.sin6_addr)</c>).</summary>
    public static int inet_pton(int Family, string? pszAddrString, ref IN6_ADDR pAddrBuf)
    {
        var b = new byte[16];
        int rc = inet_pton(Family, pszAddrString, b);
        if (rc == 1) pAddrBuf = new IN6_ADDR(b);
        return rc;
    }

    /// <summary>inet_ntop of an IPv4 address (<c>inet_ntop(AF_INET, &amp;sin.sin_addr, buf, sizeof buf)</c>).</summary>
    public static string? inet_ntop(int Family, ref readonly IN_ADDR pAddr, char[]? pStringBuf, nuint StringBufSize) =>
        inet_ntop(Family, pAddr.GetBytes(), pStringBuf, StringBufSize);

    /// <summary>inet_ntop of an IPv6 address (<c>inet_ntop(AF_INET6, &amp;sin6.sin6_addr, buf, sizeof buf)</c>).</summary>
    public static string? inet_ntop(int Family, ref readonly IN6_ADDR pAddr, char[]? pStringBuf, nuint StringBufSize) =>
        inet_ntop(Family, pAddr.GetBytes(), pStringBuf, StringBufSize);
}
