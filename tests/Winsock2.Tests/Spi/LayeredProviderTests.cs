using static Winsock2.Ws2_32;
using static Winsock2.Tests.Spi.TestCatalog;

namespace Winsock2.Tests.Spi;

/// <summary>A real layered provider (<see cref="CountingLayer"/>) over the built-in TCP provider (SPEC §1 "Layered providers").</summary>
public class LayeredProviderTests : WinsockTest
{
    /// <summary>Installs the layered entry, then a chain [layer, TCP base] under a second provider id.</summary>
    private static (Installed Layer, Installed Chain, WSAPROTOCOL_INFOW Base) InstallLayerOverTcp()
    {
        var tcp = DefaultEntry(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        var layered = Entry(AF_INET, SOCK_STREAM, IPPROTO_TCP, tcp.dwServiceFlags1, chainLen: LAYERED_PROTOCOL, name: "Counting layer");
        var layer = Install(typeof(CountingLayer), [layered], CountingLayer.LayerId);
        uint layeredId = WscEntries().Single(e => e.ProviderId == CountingLayer.LayerId).dwCatalogEntryId;
        Assert.Equal(layer[0], layeredId);

        var chain = tcp.Clone();
        chain.ProtocolChain = new WSAPROTOCOLCHAIN(2, layeredId, tcp.dwCatalogEntryId);
        chain.dwProviderFlags &= ~PFL_MATCHES_PROTOCOL_ZERO;
        chain.szProtocol = "Counting layer over [TCP/IP]";
        return (layer, Install(typeof(CountingLayer), chain), tcp);
    }

    private static SOCKET Layered(WSAPROTOCOL_INFOW chain) =>
        Check(WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, chain, 0, WSA_FLAG_OVERLAPPED));

    [Fact]
    public void WSCInstallProvider_LayeredChain_DataFlowsThroughTheLayer()
    {
        CountingLayer.Reset();
        var (layer, chainInstall, tcp) = InstallLayerOverTcp();
        try
        {
            Restart();
            var api = ApiEntries();
            Assert.DoesNotContain(api, e => e.dwCatalogEntryId == layer[0]); // the layered entry is not for applications
            var chain = api.Single(e => e.dwCatalogEntryId == chainInstall[0]);
            Assert.Equal(2, chain.ProtocolChain.ChainLen);
            Assert.Equal(new[] { layer[0], tcp.dwCatalogEntryId }, chain.ProtocolChain.ChainEntries[..2]);
            // Matching without lpProtocolInfo still finds the base entry, which comes first in the catalog.
            Assert.Equal(tcp.dwCatalogEntryId, DefaultEntry(AF_INET, SOCK_STREAM, IPPROTO_TCP).dwCatalogEntryId);

            var l = Layered(chain);
            var lowerOfListener = CountingLayer.LastLowerSocket;
            Assert.NotEqual(l, lowerOfListener); // the layer's own handle, not the base provider's
            var addr = Loopback();
            Ok(bind(l, addr, addr.Length), "bind");
            Ok(listen(l, 4), "listen");
            var bound = Loopback(PortOf(l));

            var c = Layered(chain);
            Ok(connect(c, bound, bound.Length), "connect");
            var a = Check(accept(l));

            Assert.Equal(17, send(c, Bytes("through the layer"), 17, 0));
            var buf = new byte[64];
            var chunk = new byte[64];
            int n = 0;
            while (n < 17)
            {
                int got = recv(a, chunk, chunk.Length - n, 0);
                Assert.True(got > 0, $"recv failed with {WSAGetLastError()}");
                Array.Copy(chunk, 0, buf, n, got);
                n += got;
            }
            Assert.Equal("through the layer", Text(buf, n));

            Assert.Equal(4, send(a, Bytes("back"), 4, 0));
            int m = recv(c, buf, buf.Length, 0);
            Assert.True(m > 0, $"recv failed with {WSAGetLastError()}");
            Assert.Equal("back"[..m], Text(buf, m));

            // select sees the layer's handles.
            var readable = fd_set.Of(a);
            Assert.Equal(0, select(0, readable, null, null, new timeval()));
            Assert.Equal(1, send(c, Bytes("!"), 1, 0));
            readable = fd_set.Of(a);
            Assert.Equal(1, select(0, readable, null, null, new timeval { tv_sec = 10 }));
            Assert.True(FD_ISSET(a, readable));

            Assert.Equal(1, CountingLayer.Startups); // one WSPStartup for the chain entry
            Assert.Equal(2, CountingLayer.Sockets);
            Assert.Equal(1, CountingLayer.Binds);
            Assert.Equal(1, CountingLayer.Listens);
            Assert.Equal(1, CountingLayer.Connects);
            Assert.Equal(1, CountingLayer.Accepts);
            Assert.Equal(3, CountingLayer.Sends);
            Assert.True(CountingLayer.Recvs >= 2);
            Assert.Equal(2, CountingLayer.Selects);

            Ok(closesocket(a));
            Ok(closesocket(c));
            Ok(closesocket(l));
            Assert.Equal(3, CountingLayer.Closes);
            // The layer closed the base provider's socket too.
            Fails(WSAENOTSOCK, closesocket(lowerOfListener));
        }
        finally
        {
            chainInstall.Dispose();
            layer.Dispose();
        }
        Restart();
        Assert.Equal(1, CountingLayer.Cleanups);
        Assert.DoesNotContain(ApiEntries(), e => e.dwCatalogEntryId == chainInstall[0]);
    }

    [Fact]
    public void WSASocket_LayeredChain_PlainPeerInteroperates()
    {
        // The layer is invisible on the wire: a layered client talks to a plain listener.
        CountingLayer.Reset();
        var (layer, chainInstall, _) = InstallLayerOverTcp();
        try
        {
            Restart();
            var chain = ApiEntries().Single(e => e.dwCatalogEntryId == chainInstall[0]);
            var (l, addr) = Listen();
            var c = Layered(chain);
            Ok(connect(c, addr, addr.Length), "connect");
            var a = Check(accept(l));
            Assert.Equal(2, send(a, Bytes("hi"), 2, 0));
            var buf = new byte[8];
            int n = recv(c, buf, buf.Length, 0);
            Assert.True(n > 0);
            Assert.Equal("hi"[..n], Text(buf, n));
            Assert.Equal(0, getsockopt(c, SOL_SOCKET, SO_TYPE, out int type));
            Assert.Equal(SOCK_STREAM, type);
            var name = new byte[16];
            int len = name.Length;
            Ok(getpeername(c, name, ref len));
            Assert.Equal(PortOf(l), SockAddr.ToEndPoint(name).Port);
            Assert.Equal(1, CountingLayer.Sockets);
            Assert.Equal(0, CountingLayer.Accepts); // the plain listener is not layered
            foreach (var s in new[] { a, c, l }) Ok(closesocket(s));
        }
        finally
        {
            chainInstall.Dispose();
            layer.Dispose();
        }
    }

    [Fact]
    public void WSACleanup_LayeredSocketsOpen_ClosedThroughTheLayer()
    {
        CountingLayer.Reset();
        var (layer, chainInstall, _) = InstallLayerOverTcp();
        try
        {
            Restart();
            var chain = ApiEntries().Single(e => e.dwCatalogEntryId == chainInstall[0]);
            var s = Layered(chain);
            var lower = CountingLayer.LastLowerSocket;
            Restart(); // the last WSACleanup destroys every socket, layered or not
            Fails(WSAENOTSOCK, closesocket(s));
            Fails(WSAENOTSOCK, closesocket(lower));
            Assert.Equal(1, CountingLayer.Cleanups);
        }
        finally
        {
            chainInstall.Dispose();
            layer.Dispose();
        }
    }
}
