using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Porting;

/// <summary>C's <c>buf + n</c>: send/recv/sendto/recvfrom on part of an array or a span, and WSABUF's offset, on TCP and UDP.</summary>
public sealed class BufferOffsetTests : WinsockTest
{
    private static byte[] Pattern(int n)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte)(i * 7 + 1);
        return b;
    }

    /// <summary>Receives exactly n bytes into buf at offset, looping as C does.</summary>
    private static void RecvAll(SOCKET s, byte[] buf, int offset, int n)
    {
        int got = 0;
        while (got < n)
        {
            int rc = recv(s, buf, offset + got, n - got, 0);
            Assert.True(rc > 0, $"recv returned {rc} (error {WSAGetLastError()})");
            got += rc;
        }
    }

    [Fact]
    public void send_BufPlusNLoop_SendsEachByteOnce()
    {
        var (c, s) = TcpPair();
        var data = Pattern(100_000);
        int sent = 0;
        while (sent < data.Length)
        {
            int n = send(c, data, sent, Math.Min(7_777, data.Length - sent), 0);
            Assert.True(n > 0, $"send failed with {WSAGetLastError()}");
            sent += n;
        }
        var into = new byte[data.Length];
        RecvAll(s, into, 0, into.Length);
        Assert.Equal(data, into);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void recv_Offset_WritesOnlyThere()
    {
        var (c, s) = TcpPair();
        Assert.Equal(4, send(c, Bytes("wxyz"), 4, 0));
        var buf = Enumerable.Repeat((byte)0xEE, 12).ToArray();
        RecvAll(s, buf, 5, 4);
        Assert.Equal("wxyz", System.Text.Encoding.ASCII.GetString(buf, 5, 4));
        Assert.All(buf[..5], b => Assert.Equal(0xEE, b));
        Assert.All(buf[9..], b => Assert.Equal(0xEE, b));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void sendto_recvfrom_Offset_Udp()
    {
        var (a, _, b, addrB) = UdpPair();
        var data = Bytes("..payload..");
        Assert.Equal(7, sendto(a, data, 2, 7, 0, addrB, addrB.Length));
        var buf = new byte[16];
        var from = new byte[SOCKADDR_STORAGE.Size];
        int fromlen = from.Length;
        Assert.Equal(7, recvfrom(b, buf, 3, 10, 0, from, ref fromlen));
        Assert.Equal("payload", System.Text.Encoding.ASCII.GetString(buf, 3, 7));
        Assert.Equal(0, buf[2]);
        Assert.Equal(0, buf[10]);
        Assert.Equal(PortOf(a), SockAddr.ToEndPoint(from).Port);
        closesocket(a); closesocket(b);
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(0, -1)]
    [InlineData(5, 4)]
    [InlineData(9, 0)]
    [InlineData(int.MaxValue, 2)]
    public void send_recv_OffsetOrLengthOutsideTheArray_WSAEFAULT(int offset, int len)
    {
        var (c, s) = TcpPair();
        var buf = new byte[8];
        Fails(WSAEFAULT, send(c, buf, offset, len, 0));
        Fails(WSAEFAULT, recv(s, buf, offset, len, 0));
        int fromlen = 0;
        Fails(WSAEFAULT, recvfrom(s, buf, offset, len, 0, null, ref fromlen));
        Fails(WSAEFAULT, sendto(c, buf, offset, len, 0, null, 0));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void send_recv_Spans()
    {
        var (c, s) = TcpPair();
        var data = Bytes("0123456789");
        Assert.Equal(4, send(c, data.AsSpan(3, 4), 0));
        var buf = new byte[10];
        int got = 0;
        while (got < 4)
        {
            int n = recv(s, buf.AsSpan(2 + got, 4 - got), 0);
            Assert.True(n > 0, $"recv failed with {WSAGetLastError()}");
            got += n;
        }
        Assert.Equal("3456", System.Text.Encoding.ASCII.GetString(buf, 2, 4));
        Assert.Equal(0, buf[6]);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void sendto_recvfrom_Spans_Udp()
    {
        var (a, _, b, addrB) = UdpPair();
        Assert.Equal(3, sendto(a, Bytes("xyzzy").AsSpan(1, 3), 0, addrB, addrB.Length));
        var buf = new byte[8];
        var from = new byte[SOCKADDR_IN.Size];
        int fromlen = from.Length;
        Assert.Equal(3, recvfrom(b, buf.AsSpan(4), 0, from, ref fromlen));
        Assert.Equal("yzz", System.Text.Encoding.ASCII.GetString(buf, 4, 3));
        Assert.Equal(PortOf(a), SockAddr.ToEndPoint(from).Port);
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSASend_WSARecv_WSABUFOffsets_GatherAndScatter_Tcp()
    {
        var (c, s) = TcpPair();
        var one = Bytes("##ab##");
        var two = Bytes("cde#");
        Ok(WSASend(c, [new WSABUF(one, 2, 2), new WSABUF(new ArraySegment<byte>(two, 0, 3))], 2, out uint sent, 0, null, null), "WSASend");
        Assert.Equal(5u, sent);
        var first = new byte[6];
        var second = new byte[6];
        uint flags = 0;
        uint total = 0;
        var bufs = new[] { new WSABUF(first, 1, 2), new WSABUF(second, 3, 3) };
        while (total < 5)
        {
            // Move past what arrived, as a C loop advances its WSABUF pointers.
            var rest = total < 2
                ? new[] { new WSABUF(first, 1 + (int)total, 2 - total), bufs[1] }
                : [new WSABUF(second, 3 + (int)(total - 2), 3 - (total - 2))];
            Ok(WSARecv(s, rest, (uint)rest.Length, out uint got, ref flags, null, null), "WSARecv");
            Assert.True(got > 0);
            total += got;
        }
        Assert.Equal(new byte[] { 0, (byte)'a', (byte)'b', 0, 0, 0 }, first);
        Assert.Equal(new byte[] { 0, 0, 0, (byte)'c', (byte)'d', (byte)'e' }, second);
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSASendTo_WSARecvFrom_WSABUFOffsets_Udp()
    {
        var (a, _, b, addrB) = UdpPair();
        var data = Bytes("--hello--world");
        Ok(WSASendTo(a, [new WSABUF(data, 2, 5), new WSABUF(data, 9, 5)], 2, out uint sent, 0, addrB, addrB.Length, null, null), "WSASendTo");
        Assert.Equal(10u, sent);
        var buf = new byte[20];
        uint flags = 0;
        var from = new byte[SOCKADDR_IN.Size];
        int fromlen = from.Length;
        Ok(WSARecvFrom(b, [new WSABUF(buf, 4, 3), new WSABUF(buf, 12, 7)], 2, out uint got, ref flags, from, ref fromlen, null, null), "WSARecvFrom");
        Assert.Equal(10u, got);
        Assert.Equal("hel", System.Text.Encoding.ASCII.GetString(buf, 4, 3));
        Assert.Equal("loworld", System.Text.Encoding.ASCII.GetString(buf, 12, 7));
        Assert.Equal(0, buf[7]);
        Assert.Equal(0, buf[11]);
        closesocket(a); closesocket(b);
    }

    [Fact]
    public void WSARecv_OverlappedWSABUFOffset_CompletesIntoTheOffset()
    {
        var (c, s) = TcpPair();
        var buf = new byte[10];
        var ev = WSACreateEvent();
        var ov = new WSAOVERLAPPED { hEvent = ev };
        uint flags = 0;
        int rc = WSARecv(s, [new WSABUF(buf, 6, 4)], 1, out _, ref flags, ov, null);
        Assert.True(rc == 0 || WSAGetLastError() == WSA_IO_PENDING, $"WSARecv failed with {WSAGetLastError()}");
        Assert.Equal(4, send(c, Bytes("late"), 4, 0));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [ev], false, 10_000, false));
        Assert.True(WSAGetOverlappedResult(s, ov, out uint got, false, out _));
        Assert.True(got > 0);
        Assert.Equal("late"[..(int)got], System.Text.Encoding.ASCII.GetString(buf, 6, (int)got));
        Assert.All(buf[..6], x => Assert.Equal(0, x));
        WSACloseEvent(ev);
        closesocket(c); closesocket(s);
    }

    [Theory]
    [InlineData(-1, 1u)]
    [InlineData(3, 6u)]
    [InlineData(9, 0u)]
    public void WSASend_WSARecv_WSABUFOffsetOutsideTheArray_WSAEFAULT(int offset, uint len)
    {
        var (c, s) = TcpPair();
        var buf = new byte[8];
        Fails(WSAEFAULT, WSASend(c, [new WSABUF(buf, offset, len)], 1, out _, 0, null, null));
        uint flags = 0;
        Fails(WSAEFAULT, WSARecv(s, [new WSABUF(buf, offset, len)], 1, out _, ref flags, null, null));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSABUF_FromArrayMemory_KeepsItsOffset_OtherMemoryThrows()
    {
        var (a, _, b, addrB) = UdpPair();
        var data = Bytes("skip:kept");
        Ok(WSASendTo(a, [new WSABUF(data.AsMemory(5))], 1, out uint sent, 0, addrB, addrB.Length, null, null), "WSASendTo");
        Assert.Equal(4u, sent);
        var buf = new byte[8];
        uint flags = 0;
        Ok(WSARecv(b, [new WSABUF(buf.AsMemory(2, 6))], 1, out uint got, ref flags, null, null), "WSARecv");
        Assert.Equal(4u, got);
        Assert.Equal("kept", System.Text.Encoding.ASCII.GetString(buf, 2, 4));
        using (var unmanaged = new UnmanagedBytes(4))
            Assert.Throws<ArgumentException>(() => new WSABUF(unmanaged.Memory));
        closesocket(a); closesocket(b);
    }

    /// <summary>Memory no array backs.</summary>
    private sealed unsafe class UnmanagedBytes(int length) : System.Buffers.MemoryManager<byte>
    {
        private readonly byte* _p = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)length);
        public override Span<byte> GetSpan() => new(_p, length);
        public override System.Buffers.MemoryHandle Pin(int elementIndex = 0) => new(_p + elementIndex);
        public override void Unpin() { }
        protected override void Dispose(bool disposing) => System.Runtime.InteropServices.NativeMemory.Free(_p);
    }
}
