using static Winsock2.Ws2_32;
using static Winsock2.Tests.Spi.TestCatalog;

namespace Winsock2.Tests.Spi;

/// <summary>The dispatch template every per-socket call follows (SPEC §1): WSAENOTSOCK, WSASYSCALLFAILURE, no exceptions.</summary>
public class DispatchTests : WinsockTest
{
    private static readonly SOCKET Unknown = new(0x7FFF_FFF0);

    [Fact]
    public void Dispatch_UnknownHandle_WSAENOTSOCK()
    {
        var addr = Loopback();
        var buf = new byte[8];
        int len = buf.Length;
        Fails(WSAENOTSOCK, bind(Unknown, addr, addr.Length));
        Fails(WSAENOTSOCK, listen(Unknown, 1));
        Fails(WSAENOTSOCK, connect(Unknown, addr, addr.Length));
        Fails(WSAENOTSOCK, send(Unknown, buf, 1, 0));
        Fails(WSAENOTSOCK, recv(Unknown, buf, buf.Length, 0));
        Fails(WSAENOTSOCK, getsockopt(Unknown, SOL_SOCKET, SO_TYPE, buf, ref len));
        Fails(WSAENOTSOCK, setsockopt(Unknown, SOL_SOCKET, SO_REUSEADDR, 1));
        Fails(WSAENOTSOCK, getsockname(Unknown, buf, ref len));
        Fails(WSAENOTSOCK, shutdown(Unknown, SD_BOTH));
        Fails(WSAENOTSOCK, closesocket(Unknown));
        Fails(WSAENOTSOCK, accept(Unknown));
        uint arg = 0;
        Fails(WSAENOTSOCK, ioctlsocket(Unknown, FIONREAD, ref arg));
        Fails(WSAENOTSOCK, WSAEventSelect(Unknown, default, 0));
        Fails(WSAENOTSOCK, select(0, fd_set.Of(Unknown), null, null, new timeval()));
        Fails(WSAENOTSOCK, closesocket(INVALID_SOCKET));
    }

    [Fact]
    public void Dispatch_ClosedHandle_WSAENOTSOCK()
    {
        var s = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Ok(closesocket(s));
        Fails(WSAENOTSOCK, closesocket(s));
        Fails(WSAENOTSOCK, listen(s, 1));
        // Handles are never reused: a new socket does not revive the old value.
        var t = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Assert.NotEqual(s, t);
        Fails(WSAENOTSOCK, listen(s, 1));
        Ok(closesocket(t));
    }
}

public class SilentFailureDispatchTests : ProviderTest<SilentFailureProvider>
{
    [Fact]
    public void Dispatch_ProviderFailsWithoutErrno_WSASYSCALLFAILURE()
    {
        var s = TestSocket();
        var addr = Loopback();
        WSASetLastError(0);
        Fails(WSASYSCALLFAILURE, bind(s, addr, addr.Length));
        WSASetLastError(0);
        Fails(WSASYSCALLFAILURE, accept(s));
        WSASetLastError(0);
        Assert.False(WSAGetOverlappedResult(s, new WSAOVERLAPPED(), out _, false, out _));
        Assert.Equal(WSASYSCALLFAILURE, WSAGetLastError());
        // A provider error that is set comes through unchanged.
        Fails(WSAEOPNOTSUPP, listen(s, 1));
        Ok(closesocket(s));
    }
}

public class ThrowingDispatchTests : ProviderTest<ThrowingProvider>
{
    [InternalFailureExpected]
    [Fact]
    public void Dispatch_ProviderThrows_SOCKET_ERRORAndWSASYSCALLFAILURE()
    {
        var s = TestSocket();
        var addr = Loopback();
        WSASetLastError(0);
        Fails(WSASYSCALLFAILURE, bind(s, addr, addr.Length));
        WSASetLastError(0);
        Fails(WSASYSCALLFAILURE, setsockopt(s, SOL_SOCKET, SO_REUSEADDR, 1));
        WSASetLastError(0);
        Fails(WSASYSCALLFAILURE, accept(s));
        WSASetLastError(0);
        Assert.False(WSAGetOverlappedResult(s, new WSAOVERLAPPED(), out _, false, out _));
        Assert.Equal(WSASYSCALLFAILURE, WSAGetLastError());
        // The socket still works for calls that do not throw.
        Assert.Equal(0, getsockopt(s, SOL_SOCKET, SO_TYPE, out int type));
        Assert.Equal(SOCK_STREAM, type);
        Ok(closesocket(s));
    }

    [InternalFailureExpected]
    [Fact]
    public void WSASocket_ProviderThrows_INVALID_SOCKETAndWSASYSCALLFAILURE()
    {
        WSASetLastError(0);
        Fails(WSASYSCALLFAILURE, WSASocket(TestAf2, SOCK_STREAM, ThrowingProvider.ThrowOnSocketProtocol, null, 0, 0));
    }
}

/// <summary>Providers that fail to start: WSASocket reports it, nothing throws.</summary>
public class ProviderStartupFailureTests : WinsockTest
{
    private static int SocketError(Type provider)
    {
        using var p = Install(provider, Entry(TestAf3, SOCK_STREAM, 7));
        Restart();
        WSASetLastError(0);
        var s = WSASocket(TestAf3, SOCK_STREAM, 7, null, 0, 0);
        Assert.False(s.IsValid);
        return WSAGetLastError();
    }

    [Fact]
    public void WSASocket_WSPStartupThrows_WSAEPROVIDERFAILEDINIT() =>
        Assert.Equal(WSAEPROVIDERFAILEDINIT, SocketError(typeof(ThrowingStartupProvider)));

    [Fact]
    public void WSASocket_WSPStartupGivesNoTable_WSAEINVALIDPROCTABLE() =>
        Assert.Equal(WSAEINVALIDPROCTABLE, SocketError(typeof(NullTableProvider)));

    [Fact]
    public void WSASocket_WSPStartupNegotiatesOtherVersion_WSAEINVALIDPROVIDER()
    {
        TestProvider.Reset();
        Assert.Equal(WSAEINVALIDPROVIDER, SocketError(typeof(OldVersionProvider)));
        Assert.Equal(1, TestProvider.Cleanups); // the API layer undid the WSPStartup it cannot use
    }
}
