using System.Collections.Concurrent;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Spi;

/// <summary>
/// An IFS provider written outside the library: it chooses its own handle values (odd ones, far from the API
/// layer's 0x100 + 4n, as a kernel's handles would be), registers each with WPUModifyIFSHandle before handing it
/// out, and keeps its own handle → socket map instead of asking the API layer for a context.
/// </summary>
public sealed class IfsProvider : TestProvider
{
    public static readonly ConcurrentDictionary<nuint, TestSocket> Own = new();
    public static readonly ConcurrentQueue<SOCKET> Seen = new();
    public static SOCKET LastProposed;
    private static long _next = 0x7100_0001;

    public static new void Reset()
    {
        TestProvider.Reset();
        Own.Clear();
        Seen.Clear();
        LastProposed = default;
    }

    public override SOCKET WSPSocket(int af, int type, int protocol, WSAPROTOCOL_INFOW? lpProtocolInfo, uint g, uint dwFlags, out int lpErrno)
    {
        if (lpProtocolInfo is null) { lpErrno = WSAEINVAL; return INVALID_SOCKET; }
        var proposed = new SOCKET((nuint)Interlocked.Add(ref _next, 4));
        LastProposed = proposed;
        var handle = Upcalls.WPUModifyIFSHandle(lpProtocolInfo.dwCatalogEntryId, proposed, out lpErrno);
        if (!handle.IsValid) return INVALID_SOCKET;
        Own[handle.Value] = new TestSocket(lpProtocolInfo.Clone(), af, type, protocol, dwFlags);
        return handle;
    }

    public override int WSPCloseSocket(SOCKET s, out int lpErrno)
    {
        Seen.Enqueue(s);
        if (!Own.TryRemove(s.Value, out _)) return Error(WSAENOTSOCK, out lpErrno);
        lpErrno = 0; // an IFS provider closes its own handle; there is no WPUCloseSocketHandle to call
        return 0;
    }

    public override int WSPGetSockOpt(SOCKET s, int level, int optname, byte[] optval, ref int optlen, out int lpErrno)
    {
        Seen.Enqueue(s);
        if (!Own.TryGetValue(s.Value, out var sock)) return Error(WSAENOTSOCK, out lpErrno);
        if (level != SOL_SOCKET || optname != SO_TYPE) return Error(WSAENOPROTOOPT, out lpErrno);
        if (optlen < 4) return Error(WSAEFAULT, out lpErrno);
        BitConverter.TryWriteBytes(optval, sock.Info.iSocketType);
        optlen = 4;
        lpErrno = 0;
        return 0;
    }
}

/// <summary>WPUModifyIFSHandle and the other handle upcalls on IFS handles (SPEC §1, descriptor allocation).</summary>
public class IfsHandleTests : ProviderTest<IfsProvider>
{
    private readonly WSPUPCALLTABLE _up;

    public IfsHandleTests()
    {
        IfsProvider.Reset();
        Ok(closesocket(TestSocket()));
        _up = TestProvider.LastUpcalls ?? throw new InvalidOperationException("WSPStartup did not run");
        IfsProvider.Seen.Clear();
    }

    [Fact]
    public void WPUModifyIFSHandle_ReturnsProposedHandle_ProviderGetsItBackInEveryCall()
    {
        var s = TestSocket();
        Assert.Equal(IfsProvider.LastProposed, s); // unchanged, as Windows returns it

        // Dispatch finds the provider by the provider's own value, and hands that value over unchanged.
        Assert.Equal(0, getsockopt(s, SOL_SOCKET, SO_TYPE, out int type));
        Assert.Equal(SOCK_STREAM, type);
        Ok(closesocket(s));
        Assert.Equal([s, s], IfsProvider.Seen.ToArray());

        // closesocket dropped the API layer's record: the value is no longer a socket, and no call reaches the provider.
        Fails(WSAENOTSOCK, getsockopt(s, SOL_SOCKET, SO_TYPE, out type));
        Fails(WSAENOTSOCK, closesocket(s));
        Assert.Equal(2, IfsProvider.Seen.Count);
    }

    [Fact]
    public void WPUQuerySocketHandleContext_IfsHandle_WSAENOTSOCK()
    {
        // IFS providers cannot supply a context; the handle was not made by WPUCreateSocketHandle.
        var s = TestSocket();
        Assert.Equal(SOCKET_ERROR, _up.WPUQuerySocketHandleContext(s, out var ctx, out int errno));
        Assert.Equal(WSAENOTSOCK, errno);
        Assert.Null(ctx);

        // Likewise WPUCloseSocketHandle refuses it, and leaves the socket working.
        Assert.Equal(SOCKET_ERROR, _up.WPUCloseSocketHandle(s, out errno));
        Assert.Equal(WSAENOTSOCK, errno);
        Assert.Equal(0, getsockopt(s, SOL_SOCKET, SO_TYPE, out int type));
        Assert.Equal(SOCK_STREAM, type);
        Ok(closesocket(s));
    }

    [Fact]
    public void WPUModifyIFSHandle_ValueInUseOrInvalid_WSAEINVAL()
    {
        var s = TestSocket();
        // A value already registered by an IFS provider.
        Assert.Equal(INVALID_SOCKET, _up.WPUModifyIFSHandle(EntryId, s, out int errno));
        Assert.Equal(WSAEINVAL, errno);
        // A value the API layer generated for a non-IFS handle, live or already closed.
        var generated = _up.WPUCreateSocketHandle(EntryId, null, out _);
        Assert.Equal(INVALID_SOCKET, _up.WPUModifyIFSHandle(EntryId, generated, out errno));
        Assert.Equal(WSAEINVAL, errno);
        Assert.Equal(0, _up.WPUCloseSocketHandle(generated, out _));
        Assert.Equal(INVALID_SOCKET, _up.WPUModifyIFSHandle(EntryId, generated, out errno));
        Assert.Equal(WSAEINVAL, errno);
        // No handle at all.
        Assert.Equal(INVALID_SOCKET, _up.WPUModifyIFSHandle(EntryId, INVALID_SOCKET, out errno));
        Assert.Equal(WSAEINVAL, errno);
        Assert.Equal(INVALID_SOCKET, _up.WPUModifyIFSHandle(EntryId, new SOCKET(0), out errno));
        Assert.Equal(WSAEINVAL, errno);
        Ok(closesocket(s));
        // Once closed, the provider may register its own value again.
        Assert.Equal(s, _up.WPUModifyIFSHandle(EntryId, s, out errno));
        Assert.Equal(0, errno);
        IfsProvider.Own[s.Value] = new TestSocket(Provider.Entries[0], TestCatalog.TestAf2, SOCK_STREAM, 7, 0);
        Ok(closesocket(s));
    }

    [Fact]
    public void WPUCreateSocketHandle_SkipsValuesAnIfsProviderRegistered()
    {
        // An IFS provider may propose a value the API layer's generator has not reached yet: the generator skips it.
        var h = _up.WPUCreateSocketHandle(EntryId, null, out _);
        var ahead1 = new SOCKET(h.Value + 4);
        var ahead2 = new SOCKET(h.Value + 8);
        Assert.Equal(ahead1, _up.WPUModifyIFSHandle(EntryId, ahead1, out int errno));
        Assert.Equal(0, errno);
        Assert.Equal(ahead2, _up.WPUModifyIFSHandle(EntryId, ahead2, out errno));
        var next = _up.WPUCreateSocketHandle(EntryId, null, out _);
        Assert.Equal(h.Value + 12, next.Value);
        // Still skipped after the IFS socket is gone: a stale IFS handle never reaches a generated socket.
        IfsProvider.Own[ahead1.Value] = new TestSocket(Provider.Entries[0], TestCatalog.TestAf2, SOCK_STREAM, 7, 0);
        IfsProvider.Own[ahead2.Value] = new TestSocket(Provider.Entries[0], TestCatalog.TestAf2, SOCK_STREAM, 7, 0);
        Ok(closesocket(ahead1));
        Ok(closesocket(ahead2));
        var after = _up.WPUCreateSocketHandle(EntryId, null, out _);
        Assert.NotEqual(ahead1, after);
        Assert.NotEqual(ahead2, after);
        foreach (var x in new[] { h, next, after }) Assert.Equal(0, _up.WPUCloseSocketHandle(x, out _));
    }
}
