using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Porting;

/// <summary>inet_addr, inet_ntoa, inet_pton / InetPtonW, inet_ntop / InetNtopW, with the cases Windows records.</summary>
public sealed class AddressTextTests : WinsockTest
{
    // Mirrors Wine's dlls/ws2_32/tests/sock.c test_inet_addr (values are network-order u_long as x86 reads them).
    [Theory]
    [InlineData("0.0.0.0", 0x00000000u)]
    [InlineData("127.127.127.255", 0xff7f7f7fu)]
    [InlineData("1.2.3", 0x03000201u)]
    [InlineData("1.2", 0x02000001u)]
    [InlineData("1", 0x01000000u)]
    [InlineData("203569230", 0x4e38220cu)]
    [InlineData("0x00010203", 0x03020100u)]
    [InlineData("0x2134", 0x34210000u)]
    [InlineData("017700000001", 0x0100007fu)]
    [InlineData("0777", 0xff010000u)]
    [InlineData("1.2.3.0xaA", 0xaa030201u)]
    [InlineData("1.2.3.010", 0x08030201u)]
    [InlineData("1.2.3.00", 0x00030201u)]
    [InlineData("0xa1a2b3b4 ", 0xb4b3a2a1u)]
    [InlineData("3 .4.5.6", 0x03000000u)]
    [InlineData(" ", 0x00000000u)]
    [InlineData("", 0xffffffffu)]
    [InlineData("  ", 0xffffffffu)]
    [InlineData("\t", 0xffffffffu)]
    [InlineData(" 0", 0xffffffffu)]
    [InlineData(".", 0xffffffffu)]
    [InlineData(".1.2.3", 0xffffffffu)]
    [InlineData("3. 4.5.6", 0xffffffffu)]
    [InlineData("127.127.127.255:123", 0xffffffffu)]
    [InlineData("127.127.127.256", 0xffffffffu)]
    [InlineData("a", 0xffffffffu)]
    [InlineData("1.1.1.0x", 0xffffffffu)]
    [InlineData("1.2.3.0a", 0xffffffffu)]
    [InlineData("1.1.1.0o10", 0xffffffffu)]
    [InlineData("1.1.1.-2", 0xffffffffu)]
    [InlineData("[0.1.2.3]", 0xffffffffu)]
    [InlineData("1234BEEF", 0xffffffffu)]
    [InlineData("::1", 0xffffffffu)]
    [InlineData("2607:f0d0:1002:51::4", 0xffffffffu)]
    public void inet_addr_Text_NetworkOrderValueAndNoErrorSet(string text, uint expected)
    {
        WSASetLastError(0x0BADF00D);
        Assert.Equal(expected, inet_addr(text));
        Assert.Equal(0x0BADF00D, WSAGetLastError());
    }

    [Fact] // Wine: test_inet_addr, inet_addr(NULL)
    public void inet_addr_Null_INADDR_NONEWithWSAEFAULT()
    {
        WSASetLastError(0);
        Assert.Equal(INADDR_NONE, inet_addr(null));
        Assert.Equal(WSAEFAULT, WSAGetLastError());
    }

    [Fact] // Wine: test_inet_addr, "1.2.3" followed by each non-digit character
    public void inet_addr_TrailingCharacter_OnlyWhiteSpaceEndsTheAddress()
    {
        for (int c = 1; c < 256; c++)
        {
            if (c is >= '0' and <= '9') continue;
            bool space = c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
            Assert.True((space ? 0x03000201u : INADDR_NONE) == inet_addr("1.2.3" + (char)c), $"character {c}");
        }
    }

    [Fact]
    public void inet_ntoa_Address_DottedDecimal()
    {
        Assert.Equal("127.0.0.1", inet_ntoa(new IN_ADDR(htonl(INADDR_LOOPBACK))));
        Assert.Equal("1.2.3.4", inet_ntoa(new IN_ADDR(inet_addr("1.2.3.4"))));
    }

    // Mirrors Wine's test_inet_pton (IPv4 table): only four strict decimal parts.
    [Theory]
    [InlineData("1.1.1.1", 1, new byte[] { 1, 1, 1, 1 })]
    [InlineData("0.0.0.0", 1, new byte[] { 0, 0, 0, 0 })]
    [InlineData("127.127.127.255", 1, new byte[] { 127, 127, 127, 255 })]
    [InlineData("", 0, null)]
    [InlineData(" ", 0, null)]
    [InlineData("127.127.127.256", 0, null)]
    [InlineData("1.1.1.0xaA", 0, null)]
    [InlineData("1.1.1.010", 0, null)]
    [InlineData("1.1.1.00", 0, null)]
    [InlineData("1.2.3", 0, null)]
    [InlineData("203569230", 0, null)]
    [InlineData("3.4.5.6.7", 0, null)]
    [InlineData(" 3.4.5.6", 0, null)]
    [InlineData("3.4.5.6 ", 0, null)]
    [InlineData("0x00010203", 0, null)]
    [InlineData("::1", 0, null)]
    public void inet_pton_IPv4Text_StrictDottedDecimal(string text, int expected, byte[]? bytes)
    {
        var buf = new byte[4];
        Assert.Equal(expected, inet_pton(AF_INET, text, buf));
        if (bytes is not null) Assert.Equal(bytes, buf);
        Assert.Equal(expected, InetPtonW(AF_INET, text, new byte[4]));
    }

    // Mirrors Wine's test_inet_pton (IPv6 table).
    [Theory]
    [InlineData("0:0:0:0:0:0:0:1", 1, "::1")]
    [InlineData("0:0:0:0:0:0:0::", 1, "::")]
    [InlineData("::0:0:0:0:0:0:0", 1, "::")]
    [InlineData("0:0:0:0:0:0:13.1.68.3", 1, "::13.1.68.3")]
    [InlineData("1111:2222:3333:4444:5555:6666:7777::", 1, "1111:2222:3333:4444:5555:6666:7777:0")]
    [InlineData("1111::123.123.123.123", 1, "1111::7b7b:7b7b")]
    [InlineData("2001:db8:85a3::8a2e:370:7334", 1, "2001:db8:85a3::8a2e:370:7334")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("1111:2222:3333:4444:5555:6666::7777:8888", 0, null)]
    [InlineData("1111:2222:3333:4444:5555:6666:7777::8888", 0, null)]
    [InlineData("1111:2222:3333:4444:0x5555:6666:7777:8888", 0, null)]
    [InlineData("1111:2222:3333:4444:5555::08888", 0, null)]
    [InlineData("1111:2222:3333:4444:5555::fffff", 0, null)]
    [InlineData("::%16", 0, null)]
    [InlineData("::/16", 0, null)]
    [InlineData("::01234", 0, null)]
    [InlineData("2001:0::b.0", 0, null)]
    [InlineData("1.2.3.4", 0, null)]
    [InlineData("-1", 0, null)]
    public void inet_pton_IPv6Text_Rfc4291Forms(string text, int expected, string? canonical)
    {
        var buf = new byte[16];
        Assert.Equal(expected, inet_pton(AF_INET6, text, buf));
        if (canonical is not null) Assert.Equal(System.Net.IPAddress.Parse(canonical).GetAddressBytes(), buf);
    }

    [Fact]
    public void inet_pton_BadFamily_MinusOneWSAEAFNOSUPPORT()
    {
        Assert.Equal(-1, inet_pton(AF_UNSPEC, "1.2.3.4", new byte[16]));
        Assert.Equal(WSAEAFNOSUPPORT, WSAGetLastError());
    }

    [Fact]
    public void inet_pton_NullTextOrShortBuffer_MinusOneWSAEFAULT()
    {
        Assert.Equal(-1, inet_pton(AF_INET, null, new byte[4]));
        Assert.Equal(WSAEFAULT, WSAGetLastError());
        Assert.Equal(-1, inet_pton(AF_INET6, "::1", new byte[4]));
        Assert.Equal(WSAEFAULT, WSAGetLastError());
    }

    [Theory]
    [InlineData(AF_INET, "127.0.0.1")]
    [InlineData(AF_INET6, "::1")]
    [InlineData(AF_INET6, "2001:db8::1")]
    [InlineData(AF_INET6, "::ffff:1.2.3.4")]
    public void inet_ntop_Address_RoundTripsThroughInetPton(int family, string text)
    {
        var bin = new byte[16];
        Assert.Equal(1, inet_pton(family, text, bin));
        var buf = new char[INET6_ADDRSTRLEN];
        Assert.Equal(text, inet_ntop(family, bin, buf, (nuint)buf.Length));
        Assert.Equal(text, new string(buf, 0, Array.IndexOf(buf, '\0')));
        Assert.Equal(text, InetNtopW(family, bin, new char[INET6_ADDRSTRLEN], INET6_ADDRSTRLEN));
    }

    [Fact]
    public void inet_ntop_BufferTooSmallOrZero_NullERROR_INVALID_PARAMETER()
    {
        var addr = new byte[] { 127, 0, 0, 1 };
        Assert.Null(inet_ntop(AF_INET, addr, new char[9], 9)); // "127.0.0.1" needs 10 with its NUL
        Assert.Equal(ERROR_INVALID_PARAMETER, WSAGetLastError());
        Assert.Null(inet_ntop(AF_INET, addr, new char[16], 0));
        Assert.Equal(ERROR_INVALID_PARAMETER, WSAGetLastError());
        Assert.Null(inet_ntop(AF_INET, addr, null, 16));
        Assert.Equal(ERROR_INVALID_PARAMETER, WSAGetLastError());
        Assert.Equal("127.0.0.1", inet_ntop(AF_INET, addr, new char[10], 10));
    }

    [Fact]
    public void inet_ntop_BadFamily_NullWSAEAFNOSUPPORT()
    {
        Assert.Null(inet_ntop(AF_UNSPEC, new byte[16], new char[64], 64));
        Assert.Equal(WSAEAFNOSUPPORT, WSAGetLastError());
    }
}
