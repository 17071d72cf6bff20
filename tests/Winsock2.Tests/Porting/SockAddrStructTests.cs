using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Porting;

/// <summary>SOCKADDR_IN, SOCKADDR_IN6, SOCKADDR_STORAGE, SOCKADDR, IN_ADDR and IN6_ADDR: C's sizes, field names and bytes.</summary>
public sealed unsafe class SockAddrStructTests
{
    [Fact]
    public void sizeof_Structures_AreTheHeaderSizes()
    {
        Assert.Equal(16, sizeof(SOCKADDR_IN));
        Assert.Equal(28, sizeof(SOCKADDR_IN6));
        Assert.Equal(128, sizeof(SOCKADDR_STORAGE));
        Assert.Equal(16, sizeof(SOCKADDR));
        Assert.Equal(4, sizeof(IN_ADDR));
        Assert.Equal(16, sizeof(IN6_ADDR));
        Assert.Equal(SOCKADDR_IN.Size, sizeof(SOCKADDR_IN));
        Assert.Equal(SOCKADDR_IN6.Size, sizeof(SOCKADDR_IN6));
        Assert.Equal(SOCKADDR_STORAGE.Size, sizeof(SOCKADDR_STORAGE));
        Assert.Equal(SOCKADDR.Size, sizeof(SOCKADDR));
    }

    [Fact]
    public void SOCKADDR_IN_CFieldAssignments_AreTheWindowsSockaddrBytes()
    {
        SOCKADDR_IN addr = default;
        addr.sin_family = AF_INET;
        addr.sin_port = htons(5150);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        Assert.Equal(SockAddr.From("127.0.0.1", 5150), (byte[])addr);
        Assert.Equal(inet_addr("127.0.0.1"), addr.sin_addr.s_addr);
        Assert.Equal("127.0.0.1", inet_ntoa(addr.sin_addr));
        for (int i = 0; i < 8; i++) Assert.Equal(0, addr.sin_zero[i]);
    }

    [Fact]
    public void SOCKADDR_IN_INADDR_ANY_IsAllZeroAddressEitherOrder()
    {
        SOCKADDR_IN addr = default;
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_ANY);
        Assert.Equal(SockAddr.From("0.0.0.0", 0), (byte[])addr);
    }

    [Fact]
    public void IN_ADDR_S_un_UnionMembersShareTheFourBytes()
    {
        IN_ADDR a = default;
        a.s_addr = inet_addr("10.20.30.40");
        Assert.Equal(10, a.S_un.S_un_b.s_b1);
        Assert.Equal(20, a.S_un.S_un_b.s_b2);
        Assert.Equal(30, a.S_un.S_un_b.s_b3);
        Assert.Equal(40, a.S_un.S_un_b.s_b4);
        Assert.Equal(a.s_addr, a.S_un.S_addr);
        Assert.Equal(htons(10 << 8 | 20), a.S_un.S_un_w.s_w1);
        a.S_un.S_un_b.s_b4 = 41;
        Assert.Equal("10.20.30.41", inet_ntoa(a));
    }

    [Fact]
    public void SOCKADDR_IN6_CFieldAssignments_AreTheWindowsSockaddrBytes()
    {
        SOCKADDR_IN6 addr = default;
        addr.sin6_family = AF_INET6;
        addr.sin6_port = htons(5150);
        addr.sin6_addr.s6_addr[15] = 1;
        addr.sin6_scope_id = 3;
        var expected = SockAddr.From(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("::1%3"), 5150));
        Assert.Equal(expected, (byte[])addr);
        Assert.Equal(1, addr.sin6_addr.u.Byte[15]);
        Assert.Equal(1, addr.sin6_addr.s6_bytes[15]);
        Assert.Equal(htons(1), addr.sin6_addr.s6_words[7]);
        Assert.Equal(htons(1), addr.sin6_addr.u.Word[7]);
        Assert.True(addr.sin6_addr == in6addr_loopback);
        Assert.False(addr.sin6_addr == in6addr_any);
    }

    [Fact]
    public void SOCKADDR_IN6_FlowinfoAndScope_AtTheirWindowsOffsets()
    {
        SOCKADDR_IN6 addr = default;
        addr.sin6_flowinfo = 0x01020304;
        addr.sin6_scope_id = 0x0A0B0C0D;
        var b = (byte[])addr;
        Assert.Equal(new byte[] { 4, 3, 2, 1 }, b[4..8]);
        Assert.Equal(new byte[] { 0x0D, 0x0C, 0x0B, 0x0A }, b[24..28]);
    }

    [Fact]
    public void SockAddr_As_StorageViewedInPlace_WritesThrough()
    {
        SOCKADDR_STORAGE ss = default;
        ref SOCKADDR_IN sin = ref SockAddr.As<SOCKADDR_IN>(ref ss);
        sin.sin_family = AF_INET;
        sin.sin_port = htons(80);
        Assert.Equal(AF_INET, ss.ss_family);
        ref SOCKADDR_IN6 sin6 = ref SockAddr.As<SOCKADDR_IN6>(ref ss);
        Assert.Equal(htons(80), sin6.sin6_port);
        ref SOCKADDR sa = ref SockAddr.As<SOCKADDR>(ref ss);
        Assert.Equal(AF_INET, sa.sa_family);
        Assert.Equal(0, sa.sa_data[0]);
        Assert.Equal(80, sa.sa_data[1]); // sa_data begins with the port, network order
    }

    [Fact]
    public void SockAddr_As_SockaddrToLargerStructure_Throws()
    {
        SOCKADDR sa = default;
        Assert.Throws<ArgumentException>(() => SockAddr.As<SOCKADDR_IN6>(ref sa));
        ref SOCKADDR_IN sin = ref SockAddr.As<SOCKADDR_IN>(ref sa);
        sin.sin_port = htons(1);
        Assert.Equal(1, sa.sa_data[1]);
    }

    [Fact]
    public void SockAddr_As_BytesViewedInPlace_WritesThroughAndShortArrayThrows()
    {
        var bytes = SockAddr.From("192.0.2.1", 7);
        ref SOCKADDR_IN sin = ref SockAddr.As<SOCKADDR_IN>(bytes);
        Assert.Equal(htons(7), sin.sin_port);
        sin.sin_port = htons(8);
        Assert.Equal(8, SockAddr.ToEndPoint(bytes).Port);
        Assert.Throws<ArgumentOutOfRangeException>(() => SockAddr.As<SOCKADDR_IN6>(bytes));
    }

    [Fact]
    public void ExplicitConversion_FromShortBytes_ZeroFillsTheRest()
    {
        var sin6 = (SOCKADDR_IN6)SockAddr.From("127.0.0.1", 9);
        Assert.Equal(AF_INET, sin6.sin6_family);
        Assert.Equal(htons(9), sin6.sin6_port);
        Assert.Equal(0u, sin6.sin6_scope_id);
        var back = (SOCKADDR_IN)(byte[])(SOCKADDR_STORAGE)SockAddr.From("127.0.0.1", 9);
        Assert.Equal(htonl(INADDR_LOOPBACK), back.sin_addr.s_addr);
    }
}
