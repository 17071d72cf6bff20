using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Porting;

/// <summary>WSAAddressToString with C's buffer and in/out length (lpdwAddressStringLength).</summary>
public sealed unsafe class AddressToStringLengthTests : WinsockTest
{
    private static SOCKADDR_IN Any(ushort port)
    {
        SOCKADDR_IN a = default;
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_ANY);
        return a;
    }

    [Fact] // Wine: test_WSAAddressToString, a length of 0 first, then the buffer's size
    public void WSAAddressToString_LengthZero_WSAEFAULTWithLengthNeeded_ThenFits()
    {
        SOCKADDR_IN sin = Any(0);
        var address = new char[22];
        uint len = 0;
        Fails(WSAEFAULT, WSAAddressToString(ref sin, sizeof(SOCKADDR_IN), null, address, ref len));
        Assert.Equal((uint)"0.0.0.0".Length + 1, len);
        Assert.Equal('\0', address[0]); // nothing written
        len = (uint)address.Length;
        Assert.Equal(0, WSAAddressToString(ref sin, sizeof(SOCKADDR_IN), null, address, ref len));
        Assert.Equal("0.0.0.0", new string(address, 0, (int)len - 1));
        Assert.Equal('\0', address[len - 1]);
        Assert.Equal((uint)"0.0.0.0".Length + 1, len);
    }

    [Fact]
    public void WSAAddressToString_PortAndExactLength_Fits()
    {
        SOCKADDR_IN sin = Any(65535);
        sin.sin_addr.s_addr = inet_addr("255.255.255.255");
        const string expect = "255.255.255.255:65535";
        var address = new char[expect.Length + 1];
        uint len = (uint)expect.Length; // one short: the NUL counts
        Fails(WSAEFAULT, WSAAddressToString(ref sin, sizeof(SOCKADDR_IN), null, address, ref len));
        Assert.Equal((uint)expect.Length + 1, len);
        Assert.Equal(0, WSAAddressToStringW((byte[])sin, sizeof(SOCKADDR_IN), null, address, ref len));
        Assert.Equal(expect, new string(address, 0, expect.Length));
    }

    [Fact]
    public void WSAAddressToString_NullBuffer_WSAEFAULTWithLengthNeeded()
    {
        SOCKADDR_IN6 sin6 = default;
        sin6.sin6_family = AF_INET6;
        sin6.sin6_addr = in6addr_loopback;
        sin6.sin6_port = htons(80);
        uint len = 100;
        Fails(WSAEFAULT, WSAAddressToString(ref sin6, sizeof(SOCKADDR_IN6), null, null, ref len));
        Assert.Equal((uint)"[::1]:80".Length + 1, len);
    }

    [Fact]
    public void WSAAddressToString_ArrayShorterThanLengthClaims_WSAEFAULT()
    {
        SOCKADDR_IN sin = Any(0);
        uint len = 64;
        Fails(WSAEFAULT, WSAAddressToString(ref sin, sizeof(SOCKADDR_IN), null, new char[4], ref len));
        Assert.Equal(8u, len);
    }

    [Fact]
    public void WSAAddressToString_AddressLengthShort_WSAEFAULT()
    {
        SOCKADDR_IN sin = Any(0);
        uint len = 64;
        Fails(WSAEFAULT, WSAAddressToString(ref sin, sizeof(SOCKADDR_IN) - 1, null, new char[64], ref len));
    }
}
