using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Catalog;

/// <summary>WSAStartup / WSACleanup: version negotiation, reference counting, the state before startup, per-thread errors.</summary>
public class StartupTests : WinsockTest
{
    /// <summary>Runs <paramref name="body"/> with the API not started (this test's WSAStartup undone, then redone).</summary>
    private static void WhileNotStarted(Action body)
    {
        Assert.Equal(0, WSACleanup());
        try { body(); }
        finally { Assert.Equal(0, WSAStartup(0x0202, out _)); }
    }

    [Theory]
    [InlineData((ushort)0x0202, (ushort)0x0202)] // 2.2 → 2.2
    [InlineData((ushort)0x0101, (ushort)0x0101)] // 1.1 → 1.1
    [InlineData((ushort)0x0201, (ushort)0x0101)] // 1.2 → 1.1, as Windows answers (mirrors ReactOS apitests ws2_32 WSAStartup.c)
    [InlineData((ushort)0xFF01, (ushort)0x0101)] // 1.255 → 1.1
    [InlineData((ushort)0x0002, (ushort)0x0002)] // 2.0 → 2.0
    [InlineData((ushort)0x0003, (ushort)0x0202)] // 3.0 → 2.2
    [InlineData((ushort)0x0302, (ushort)0x0202)] // 2.3 → 2.2
    public void WSAStartup_Version_Negotiated(ushort requested, ushort expected)
    {
        Assert.Equal(0, WSAStartup(requested, out var data));
        try
        {
            Assert.Equal(expected, data.wVersion);
            Assert.Equal((ushort)0x0202, data.wHighVersion);
        }
        finally { Assert.Equal(0, WSACleanup()); }
    }

    [Theory]
    [InlineData((ushort)0x0000)] // 0.0
    [InlineData((ushort)0x0900)] // 0.9
    public void WSAStartup_MajorVersionZero_ReturnsWSAVERNOTSUPPORTED(ushort requested)
    {
        WhileNotStarted(() =>
        {
            WSASetLastError(0);
            Assert.Equal(WSAVERNOTSUPPORTED, WSAStartup(requested, out var data));
            Assert.Equal((ushort)0x0202, data.wHighVersion);
            // A failed WSAStartup counts no reference: the API is still not started.
            Assert.False(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP).IsValid);
            Assert.Equal(WSANOTINITIALISED, WSAGetLastError());
            Fails(WSANOTINITIALISED, WSACleanup());
        });
    }

    [Fact]
    public void WSACleanup_TwoStartups_NeedTwoCleanups()
    {
        Assert.Equal(0, WSAStartup(0x0202, out _));
        Assert.Equal(0, WSACleanup());
        // Still one reference: calls work, and a socket made before the first cleanup survives it.
        var s = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Assert.Equal(0, WSAStartup(0x0202, out _));
        Assert.Equal(0, WSACleanup());
        Assert.Equal(0, getsockopt(s, SOL_SOCKET, SO_TYPE, out int type));
        Assert.Equal(SOCK_STREAM, type);
        Ok(closesocket(s));
        WhileNotStarted(() => Fails(WSANOTINITIALISED, socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)));
    }

    [Fact]
    public void WSACleanup_Last_DestroysEverySocket()
    {
        var (c, s) = TcpPair();
        var u = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        Assert.Equal(0, WSACleanup());
        Assert.Equal(0, WSAStartup(0x0202, out _));
        // The new API instance does not know the old handles.
        Fails(WSAENOTSOCK, closesocket(c));
        Fails(WSAENOTSOCK, closesocket(s));
        Fails(WSAENOTSOCK, closesocket(u));
        Fails(WSAENOTSOCK, send(c, Bytes("x"), 1, 0));
    }

    [Fact]
    public void WSACleanup_WithoutStartup_WSANOTINITIALISED()
    {
        WhileNotStarted(() =>
        {
            WSASetLastError(0);
            Fails(WSANOTINITIALISED, WSACleanup());
        });
    }

    [Fact]
    public void Calls_BeforeStartup_WSANOTINITIALISED()
    {
        var (l, addr) = Listen();
        WhileNotStarted(() =>
        {
            Fails(WSANOTINITIALISED, socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
            Fails(WSANOTINITIALISED, WSASocket(AF_INET, SOCK_DGRAM, 0, null, 0, WSA_FLAG_OVERLAPPED));
            Fails(WSANOTINITIALISED, bind(new SOCKET(0x100), addr, addr.Length));
            Fails(WSANOTINITIALISED, closesocket(new SOCKET(0x100)));
            uint len = 0;
            Fails(WSANOTINITIALISED, WSAEnumProtocols(null, null, ref len));
            Fails(WSANOTINITIALISED, select(0, fd_set.Of(new SOCKET(0x100)), null, null, new timeval()));
            var buf = new byte[4];
            Fails(WSANOTINITIALISED, recv(new SOCKET(0x100), buf, 4, 0));
            int n = 4;
            Fails(WSANOTINITIALISED, getsockopt(new SOCKET(0x100), SOL_SOCKET, SO_TYPE, buf, ref n));
        });
        // The listener made before the full cleanup is gone.
        Fails(WSAENOTSOCK, closesocket(l));
    }

    [Fact]
    public void WSAGetLastError_IsPerThread()
    {
        WSASetLastError(WSAEWOULDBLOCK);
        int seenByOther = -1, afterSetByOther = -1;
        var t = Run(() =>
        {
            seenByOther = WSAGetLastError();
            WSASetLastError(WSAECONNRESET);
            afterSetByOther = WSAGetLastError();
        });
        Assert.True(t.Join(10000));
        Assert.Equal(0, seenByOther);
        Assert.Equal(WSAECONNRESET, afterSetByOther);
        Assert.Equal(WSAEWOULDBLOCK, WSAGetLastError());
    }

    [Fact]
    public void WSAGetLastError_FailingCall_SetsOnlyTheCallingThread()
    {
        WSASetLastError(0);
        int rc = 0, other = -1;
        var t = Run(() =>
        {
            rc = closesocket(new SOCKET(0xDEAD0));
            other = WSAGetLastError();
        });
        Assert.True(t.Join(10000));
        Assert.Equal(SOCKET_ERROR, rc);
        Assert.Equal(WSAENOTSOCK, other);
        Assert.Equal(0, WSAGetLastError());
    }
}
