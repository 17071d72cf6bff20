using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rio;

/// <summary>RIORegisterBuffer and RIODeregisterBuffer, and the slices requests take from a registration.</summary>
public class RioBufferTests : RioTest
{
    [Fact]
    public void RIORegisterBuffer_NullBuffer_WSAEFAULT()
    {
        var t = Table(RioSocket(SOCK_DGRAM));
        FailsWith(WSAEFAULT, t.RIORegisterBuffer!(null!, 16));
    }

    [Fact]
    public void RIORegisterBuffer_LengthBeyondArray_WSAEFAULT()
    {
        var t = Table(RioSocket(SOCK_DGRAM));
        FailsWith(WSAEFAULT, t.RIORegisterBuffer!(new byte[16], 17));
    }

    [Fact]
    public void RIORegisterBuffer_ZeroLength_WSAEINVAL()
    {
        var t = Table(RioSocket(SOCK_DGRAM));
        FailsWith(WSAEINVAL, t.RIORegisterBuffer!(new byte[16], 0));
    }

    [Fact]
    public void RIODeregisterBuffer_InvalidId_Ignored()
    {
        var t = Table(RioSocket(SOCK_DGRAM));
        WSASetLastError(0);
        t.RIODeregisterBuffer!(null!);
        var id = Register(t, new byte[8]);
        t.RIODeregisterBuffer!(id);
        t.RIODeregisterBuffer!(id); // no longer a registration: ignored
        Assert.Equal(0, WSAGetLastError());
    }

    [Theory]
    [InlineData(SOCK_STREAM)]
    [InlineData(SOCK_DGRAM)]
    public void RIOReceive_DeregisteredBuffer_WSAEFAULT(int type)
    {
        var s = type == SOCK_STREAM ? RioTcpPair().Server : RioUdp(out _);
        var t = Table(s);
        var rq = Rq(t, s, Cq(t));
        var id = Register(t, new byte[32]);
        t.RIODeregisterBuffer!(id);
        FailsWith(WSAEFAULT, t.RIOReceive!(rq, new RIO_BUF(id, 0, 32), 1, 0, 0));
        FailsWith(WSAEFAULT, t.RIOSend!(rq, new RIO_BUF(id, 0, 32), 1, 0, 0));
        closesocket(s);
    }

    [Theory]
    [InlineData(SOCK_STREAM, 0u, 33u)]
    [InlineData(SOCK_STREAM, 32u, 1u)]
    [InlineData(SOCK_DGRAM, 33u, 0u)]
    [InlineData(SOCK_DGRAM, 16u, 0xFFFFFFF8u)]
    public void RIOReceive_SliceOutsideRegistration_WSAEFAULT(int type, uint offset, uint length)
    {
        var s = type == SOCK_STREAM ? RioTcpPair().Server : RioUdp(out _);
        var t = Table(s);
        var rq = Rq(t, s, Cq(t));
        var id = t.RIORegisterBuffer!(new byte[40], 32)!; // 32 of the array's 40 bytes registered
        FailsWith(WSAEFAULT, t.RIOReceive!(rq, new RIO_BUF(id, offset, length), 1, 0, 0));
        FailsWith(WSAEFAULT, t.RIOSend!(rq, new RIO_BUF(id, offset, length), 1, 0, 0));
        closesocket(s);
    }

    [Fact]
    public void RIOReceiveEx_AddressSliceShorterThanSockaddrInet_WSAEFAULT()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var rq = Rq(t, s, Cq(t));
        var id = Register(t, new byte[128]);
        Assert.Equal(0, t.RIOReceiveEx!(rq, new RIO_BUF(id, 0, 64), 1, default, new RIO_BUF(id, 64, 27), default, default, 0, 0));
        Assert.Equal(WSAEFAULT, WSAGetLastError());
        closesocket(s);
    }

    [Fact]
    public void RIODeregisterBuffer_WhileAReceiveUsesIt_TheReceiveStillCompletesIntoTheArray()
    {
        var s = RioUdp(out var addr);
        var peer = Check(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        var (t, cq, rq, buffer, id) = Rig(s, 16);
        Assert.True(t.RIOReceive!(rq, new RIO_BUF(id, 0, 16), 1, 0, 1));
        t.RIODeregisterBuffer!(id);
        Assert.Equal(3, sendto(peer, Bytes("abc"), 3, 0, addr, addr.Length));
        Assert.Equal((0, 3u), Dequeue(t, cq, 1).Select(r => (r.Status, r.BytesTransferred)).Single());
        Assert.Equal("abc", Text(buffer, 3));
        closesocket(peer);
        closesocket(s);
    }

    [Fact]
    public void RIOReceive_CompletionQueueClosed_WSAEINVAL()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var cq = Cq(t);
        var rq = Rq(t, s, cq);
        var id = Register(t, new byte[16]);
        t.RIOCloseCompletionQueue!(cq);
        FailsWith(WSAEINVAL, t.RIOReceive!(rq, new RIO_BUF(id, 0, 16), 1, 0, 1));
        closesocket(s);
    }

    private sealed class ForeignBufferId : RIO_BUFFERID { }
    private sealed class ForeignCq : RIO_CQ { }
    private sealed class ForeignRq : RIO_RQ { }

    [Fact]
    public void RIOReceive_BufferIdNotFromRIORegisterBuffer_WSAEFAULT()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var rq = Rq(t, s, Cq(t));
        FailsWith(WSAEFAULT, t.RIOReceive!(rq, new RIO_BUF(new ForeignBufferId(), 0, 8), 1, 0, 0));
        FailsWith(WSAEFAULT, t.RIOSend!(rq, new RIO_BUF(new ForeignBufferId(), 0, 8), 1, 0, 0));
        closesocket(s);
    }

    [Fact]
    public void RIOFunctions_QueuesNotFromTheirCreateFunctions_WSAEINVAL()
    {
        var s = RioUdp(out _);
        var t = Table(s);
        var id = Register(t, new byte[8]);
        FailsWith(WSAEINVAL, t.RIOReceive!(new ForeignRq(), new RIO_BUF(id, 0, 8), 1, 0, 0));
        FailsWith(WSAEINVAL, t.RIOResizeRequestQueue!(new ForeignRq(), 1, 1));
        FailsWith(WSAEINVAL, t.RIOCreateRequestQueue!(s, 1, 1, 1, 1, new ForeignCq(), new ForeignCq(), 0));
        FailsWith(WSAEINVAL, t.RIOResizeCompletionQueue!(new ForeignCq(), 8));
        Assert.Equal(WSAEINVAL, t.RIONotify!(new ForeignCq()));
        Assert.Equal(RIO_CORRUPT_CQ, t.RIODequeueCompletion!(new ForeignCq(), new RIORESULT[1], 1));
        closesocket(s);
    }
}
