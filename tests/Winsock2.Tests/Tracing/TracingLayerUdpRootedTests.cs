using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Tracing;

/// <summary>The tracing layer over the UDP entry and over the rooted multipoint entry.</summary>
public class TracingLayerUdpRootedTests : TracingTest
{
    [Fact]
    public void TracingLayer_UdpSendToRecvFrom_AddressesFormatted()
    {
        var a = Layered(UdpChain);
        var b = Layered(UdpChain);
        var any = Loopback();
        Ok(bind(a, any, any.Length));
        Ok(bind(b, any, any.Length));
        int pa = PortOf(a), pb = PortOf(b);
        var to = Loopback(pb);
        Assert.Equal(4, sendto(a, Bytes("dgrm"), 4, 0, to, to.Length));
        var buf = new byte[32];
        var from = new byte[SockAddr.SizeIn];
        int fromlen = from.Length;
        Assert.Equal(4, recvfrom(b, buf, buf.Length, 0, from, ref fromlen));
        Assert.Equal(pa, SockAddr.ToEndPoint(from).Port);
        Line($"WSPSendTo(s={Hex(a)}, bufs=1[4] data=6467726d, flags=0, to=127.0.0.1:{pb}, ov=no) = 0 bytes=4");
        Line($"WSPRecvFrom(s={Hex(b)}, bufs=1[32], flags=0, fromlen=16, ov=no) = 0 bytes=4 flags=0 from=127.0.0.1:{pa} data=6467726d");
        // Listening is not for datagrams: the base provider's error comes back through the layer, named.
        Fails(WSAEOPNOTSUPP, listen(a, 1));
        Line($"WSPListen(s={Hex(a)}, backlog=1) = SOCKET_ERROR WSAEOPNOTSUPP(10045)");
    }

    [Fact]
    public void TracingLayer_RootedLeafJoin_JoinsAcceptsAndDeliversThroughLayer()
    {
        var root = Layered(RootedChain, RootFlags);
        var any = Loopback();
        Ok(bind(root, any, any.Length), "bind root");
        Ok(listen(root, 8), "listen root");
        var rootAddr = Loopback(PortOf(root));
        var leaf = Layered(RootedChain, LeafFlags);

        string? seenCaller = null;
        SOCKET handle = SOCKET.Invalid;
        var acceptor = Run(() => handle = WSAAccept(root, (WSABUF? id, WSABUF? data, QOS? sq, QOS? gq, WSABUF? cid, WSABUF? cdata, out uint g, nuint cb) =>
        {
            g = 0;
            seenCaller = Text(data!.buf!, (int)data.len);
            Bytes("welcome").CopyTo(cdata!.buf!, 0);
            cdata.len = 7;
            return CF_ACCEPT;
        }, 0));
        var callee = new WSABUF(new byte[64]);
        var joined = WSAJoinLeaf(leaf, rootAddr, rootAddr.Length, new WSABUF(Bytes("hello root")), callee, null, null, JL_BOTH);
        Assert.Equal(leaf, joined); // leaf-initiated: the leaf's own (layer) handle comes back
        Assert.True(acceptor.Join(10_000), "accept did not return");
        Track(Check(handle));
        Assert.Equal("hello root", seenCaller);
        Assert.Equal("welcome", Text(callee.buf!, (int)callee.len));

        var msg = Bytes("to every leaf");
        Assert.Equal(msg.Length, send(root, msg, msg.Length, 0));
        var buf = new byte[64];
        int n = recv(leaf, buf, buf.Length, 0);
        Assert.Equal("to every leaf", Text(buf, n));
        Assert.Equal(2, send(leaf, Bytes("up"), 2, 0));
        n = recv(handle, buf, buf.Length, 0); // the root's per-leaf socket, wrapped by the layer
        Assert.Equal("up", Text(buf, n));

        Line($"WSPJoinLeaf(s={Hex(leaf)}, name=127.0.0.1:{PortOf(root)}, caller=len=10, callee=len=64", $"flags=JL_BOTH) = {Hex(leaf)} calleelen=7");
        Line($"WSPAccept(s={Hex(root)}, addrlen=0, condition=yes) = {Hex(handle)} lower=");
        Line($"WSPSocket(af=AF_INET, type=SOCK_SEQPACKET, protocol=IPPROTO_RM_TCP, g=0, flags=WSA_FLAG_OVERLAPPED|C_ROOT|D_ROOT) = {Hex(root)}");
    }

    [Fact]
    public void TracingLayer_RootedRootInvites_NewSocketWrapped()
    {
        var leafListener = Layered(RootedChain, LeafFlags);
        var any = Loopback();
        Ok(bind(leafListener, any, any.Length), "bind leaf");
        Ok(listen(leafListener, 4), "listen leaf");
        var leafAddr = Loopback(PortOf(leafListener));
        var root = Layered(RootedChain, RootFlags);

        SOCKET member = SOCKET.Invalid;
        var acceptor = Run(() => member = accept(leafListener));
        var invited = WSAJoinLeaf(root, leafAddr, leafAddr.Length, null, null, null, null, JL_BOTH);
        Assert.True(invited.IsValid, $"join failed with {WSAGetLastError()}");
        Track(invited);
        Assert.NotEqual(root, invited);
        Assert.True(acceptor.Join(10_000), "accept did not return");
        Track(Check(member));

        Assert.Equal(3, send(root, Bytes("all"), 3, 0));
        var buf = new byte[16];
        int n = recv(member, buf, buf.Length, 0);
        Assert.Equal("all", Text(buf, n));
        Line($"WSPJoinLeaf(s={Hex(root)}", $"= {Hex(invited)} lower=");
    }
}
