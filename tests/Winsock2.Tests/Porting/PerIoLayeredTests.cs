using Winsock2.Tests.Tracing;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Porting;

/// <summary>A per-I/O subclass through a layered provider: the layer passes the application's own object back.</summary>
public sealed class PerIoLayeredTests : TracingTest
{
    [Fact]
    public void WSARecv_PerIoSubclassThroughTracingLayer_RoutineGetsTheSameObject()
    {
        var l = Layered(TcpChain);
        var any = Loopback();
        Ok(bind(l, any, any.Length), "bind");
        Ok(listen(l, 4), "listen");
        var addr = Loopback(PortOf(l));
        var c = Layered(TcpChain);
        Ok(connect(c, addr, addr.Length), "connect");
        var s = Track(Check(accept(l)));

        var io = new PerIo(PerIo.Receive, s);
        io.Buf = new WSABUF(io.Data, 10, 20); // and the buffer's offset survives the layer
        WSAOVERLAPPED? seen = null;
        uint flags = 0;
        int rc = WSARecv(s, [io.Buf], 1, out _, ref flags, io, (err, n, ov, f) => seen = ov);
        Assert.True(rc == 0 || WSAGetLastError() == WSA_IO_PENDING, $"WSARecv failed with {WSAGetLastError()}");
        Assert.Equal(6, send(c, Bytes("layers"), 6, 0));
        PerIoOverlappedTests.WaitForRoutine(() => seen is not null);
        Assert.Same(io, seen);
        Assert.Equal("layers", System.Text.Encoding.ASCII.GetString(io.Data, 10, 6));
        Assert.All(io.Data[..10], x => Assert.Equal(0, x));
    }
}
