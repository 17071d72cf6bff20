using Winsock2.Providers.Tracing;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Tracing;

/// <summary>The tracing layer over the Inet TCP entry: every call is traced with its arguments and result.</summary>
public class TracingLayerTcpTests : TracingTest
{
    [Fact]
    public void TracingLayer_TcpEcho_EveryCallLoggedWithResult()
    {
        var l = Layered(TcpChain);
        var any = Loopback();
        Ok(bind(l, any, any.Length), "bind");
        Ok(listen(l, 4), "listen");
        int port = PortOf(l);
        var addr = Loopback(port);
        var c = Layered(TcpChain);
        Ok(connect(c, addr, addr.Length), "connect");
        var a = Track(Check(accept(l)));

        Assert.Equal(5, send(c, Bytes("hello"), 5, 0));
        Assert.Equal("hello", RecvAll(a, 5));
        Assert.Equal(5, send(a, Bytes("hello"), 5, 0)); // the echo
        Assert.Equal("hello", RecvAll(c, 5));
        var readable = fd_set.Of(a);
        Assert.Equal(0, select(0, readable, null, null, new timeval()));
        Ok(closesocket(a));
        Ok(closesocket(c));
        Ok(closesocket(l));

        Line("WSPStartup(version=2.2", $"entry={TcpChain.dwCatalogEntryId}", "= 0 next=");
        Line("WSPSocket(af=AF_INET, type=SOCK_STREAM, protocol=IPPROTO_TCP, g=0, flags=WSA_FLAG_OVERLAPPED)", $"= {Hex(l)} lower=");
        Line("WSPSocket(", $"= {Hex(c)} lower=");
        Line($"WSPBind(s={Hex(l)}, name=127.0.0.1:0, namelen=16) = 0");
        Line($"WSPListen(s={Hex(l)}, backlog=4) = 0");
        Line($"WSPGetSockName(s={Hex(l)}", $"= 0 name=127.0.0.1:{port}");
        Line($"WSPConnect(s={Hex(c)}, name=127.0.0.1:{port}", ") = 0");
        Line($"WSPAccept(s={Hex(l)}, addrlen=0, condition=no) = {Hex(a)} lower=");
        Line($"WSPSend(s={Hex(c)}, bufs=1[5] data=68656c6c6f, flags=0, ov=no) = 0 bytes=5");
        // recv is WSPRecvFrom without an address (ws2_32's choice), traced as what the provider was called with.
        Line($"WSPRecvFrom(s={Hex(a)}, bufs=1[256], flags=0, fromlen=0, ov=no) = 0 bytes=5 flags=0 from=null data=68656c6c6f");
        Line($"WSPSend(s={Hex(a)}", "= 0 bytes=5");
        Line($"WSPRecvFrom(s={Hex(c)}", "= 0 bytes=5");
        Line($"WSPSelect(nfds=0, r=[{Hex(a)}], w=null, e=null, timeout=0.000000s) = 0 r=[] w=null e=null");
        foreach (var s in new[] { a, c, l }) Line($"WSPCloseSocket(s={Hex(s)}) = 0");

        // The layer's handles are its own: the lower ones in the trace differ from what the application holds.
        var lower = Line("WSPSocket(", $"= {Hex(l)} lower=").Split("lower=")[1].Split(' ')[0];
        Assert.NotEqual(Hex(l), lower);
    }

    [Fact]
    public void TracingLayer_RecvNothingThereNonblocking_WouldBlockLoggedByName()
    {
        var (lst, addr) = ListenLayered();
        var c = Layered(TcpChain);
        Ok(connect(c, addr, addr.Length));
        var a = Track(Check(accept(lst)));
        Unblock(c);
        var buf = new byte[1024];
        Fails(WSAEWOULDBLOCK, recv(c, buf, buf.Length, 0));
        Line($"WSPIoctl(s={Hex(c)}, code=FIONBIO, in=1", "= 0 returned=0");
        Line($"WSPRecvFrom(s={Hex(c)}, bufs=1[1024], flags=0, fromlen=0, ov=no) = SOCKET_ERROR WSAEWOULDBLOCK(10035)");
        uint flags = 0;
        Fails(WSAEWOULDBLOCK, WSARecv(c, [new WSABUF(buf)], 1, out _, ref flags, null, null));
        Line($"WSPRecv(s={Hex(c)}, bufs=1[1024], flags=0, ov=no) = SOCKET_ERROR WSAEWOULDBLOCK(10035)");
        Assert.True(a.IsValid);
    }

    [Fact]
    public void TracingLayer_SelectReadable_AnswersWithTheLayersHandles()
    {
        var (lst, addr) = ListenLayered();
        var c = Layered(TcpChain);
        Ok(connect(c, addr, addr.Length));
        var a = Track(Check(accept(lst)));
        Assert.Equal(1, send(c, Bytes("!"), 1, 0));
        var readable = fd_set.Of(a, c);
        var writable = fd_set.Of(c);
        Assert.Equal(2, select(0, readable, writable, null, new timeval { tv_sec = 10 }));
        Assert.Equal(new[] { a }, readable.fd_array[..(int)readable.fd_count]);
        Assert.Equal(new[] { c }, writable.fd_array[..(int)writable.fd_count]);
        Line($"WSPSelect(nfds=0, r=[{Hex(a)},{Hex(c)}], w=[{Hex(c)}]", $"= 2 r=[{Hex(a)}] w=[{Hex(c)}] e=null");
    }

    [Fact]
    public void TracingLayer_Setup_OneLayeredEntry()
    {
        var infos = ((IWSPProviderSetup)new TracingProvider()).GetProtocolInfos();
        var e = Assert.Single(infos);
        Assert.Equal(LAYERED_PROTOCOL, e.ProtocolChain.ChainLen);
        Assert.Equal("Winsock2.NET Tracing Layer", e.szProtocol);
        Assert.Equal(0u, e.dwServiceFlags1);
        Assert.Equal(2, e.iVersion);
        Assert.Equal(TracingProvider.Id, ((IWSPProviderSetup)new TracingProvider()).ProviderId);
        // Applications never see the layered entry; they see the chains.
        Assert.DoesNotContain(ApiEntriesOf(TracingProvider.Id), x => true);
        Assert.Equal(new[] { LayerEntryId, TcpBase.dwCatalogEntryId }, TcpChain.ProtocolChain.ChainEntries[..2]);
    }

    [Fact]
    public void TracingLayer_LastCleanup_CleanupTraced()
    {
        var s = Layered(UdpChain);
        Spi.TestCatalog.Restart(); // the last WSACleanup ends the layer's WSPStartup (and the base provider's under it)
        Line("WSPStartup(version=2.2", $"entry={UdpChain.dwCatalogEntryId}", "= 0 next=");
        Line("WSPCleanup() = 0");
        Fails(WSAENOTSOCK, closesocket(s));
    }

    [Fact]
    public void TracingLayer_SoProtocolInfo_NamesTheChainEntry()
    {
        var s = Layered(TcpChain);
        Assert.Equal(0, getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, out WSAPROTOCOL_INFOW? info));
        Assert.Equal(TcpChain.dwCatalogEntryId, info!.dwCatalogEntryId);
        Assert.Equal(2, info.ProtocolChain.ChainLen);
        Line($"WSPGetSockOpt(s={Hex(s)}, level=SOL_SOCKET, opt=SO_PROTOCOL_INFOW", "= 0");
    }

    private (SOCKET Listener, byte[] Address) ListenLayered()
    {
        var l = Layered(TcpChain);
        var any = Loopback();
        Ok(bind(l, any, any.Length), "bind");
        Ok(listen(l, 4), "listen");
        return (l, Loopback(PortOf(l)));
    }

    private static WSAPROTOCOL_INFOW[] ApiEntriesOf(Guid id) => Spi.TestCatalog.ApiEntries().Where(e => e.ProviderId == id).ToArray();
}
