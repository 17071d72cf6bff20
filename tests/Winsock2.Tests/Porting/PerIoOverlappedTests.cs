using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Porting;

/// <summary>
/// A per-I/O type derived from WSAOVERLAPPED comes back, the same object, to the completion routine and from
/// WSAGetOverlappedResult: the cast that replaces C's CONTAINING_RECORD.
/// </summary>
public sealed class PerIoOverlappedTests : WinsockTest
{
    /// <summary>Alertable waits until the routine ran (bounded; only a stuck test reaches the limit).</summary>
    internal static void WaitForRoutine(Func<bool> ran)
    {
        long deadline = Environment.TickCount64 + 10_000;
        while (!ran())
        {
            Assert.True(Environment.TickCount64 < deadline, "the completion routine did not run");
            SleepEx(100, true);
        }
    }

    [Fact]
    public void WSARecv_PerIoSubclass_CompletionRoutineGetsTheSameObject()
    {
        var (c, s) = TcpPair();
        var io = new PerIo(PerIo.Receive, s);
        PerIo? completed = null;
        uint bytes = 0;
        uint flags = 0;
        int rc = WSARecv(s, [io.Buf], 1, out _, ref flags, io, (err, n, ov, f) =>
        {
            completed = (PerIo)ov; // CONTAINING_RECORD(ov, PER_IO, Overlapped)
            bytes = n;
        });
        Assert.True(rc == 0 || WSAGetLastError() == WSA_IO_PENDING, $"WSARecv failed with {WSAGetLastError()}");
        Assert.Equal(5, send(c, Bytes("hello"), 5, 0));
        WaitForRoutine(() => completed is not null);
        Assert.Same(io, completed);
        Assert.Equal(PerIo.Receive, completed!.Operation);
        Assert.Equal(s, completed.Socket);
        Assert.Equal("hello", Text(completed.Data, (int)bytes));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSASend_PerIoSubclass_CompletionRoutineGetsTheSameObject()
    {
        var (c, s) = TcpPair();
        var io = new PerIo(PerIo.Send, c);
        Bytes("out").CopyTo(io.Data, 0);
        io.Buf.len = 3;
        WSAOVERLAPPED? seen = null;
        int rc = WSASend(c, [io.Buf], 1, out _, 0, io, (err, n, ov, f) => seen = ov);
        Assert.True(rc == 0 || WSAGetLastError() == WSA_IO_PENDING, $"WSASend failed with {WSAGetLastError()}");
        WaitForRoutine(() => seen is not null);
        Assert.Same(io, seen);
        Assert.Equal(PerIo.Send, ((PerIo)seen!).Operation);
        Assert.Equal("out", RecvText(s));
        closesocket(c); closesocket(s);
    }

    [Fact]
    public void WSAGetOverlappedResult_PerIoSubclassWithEvent_ResultInItsFields()
    {
        var (a, _, b, addrB) = UdpPair();
        var io = new PerIo(PerIo.Receive, b) { hEvent = WSACreateEvent() };
        uint flags = 0;
        var from = new byte[SOCKADDR_STORAGE.Size];
        int fromlen = from.Length;
        int rc = WSARecvFrom(b, [io.Buf], 1, out _, ref flags, from, ref fromlen, io, null);
        Assert.True(rc == 0 || WSAGetLastError() == WSA_IO_PENDING, $"WSARecvFrom failed with {WSAGetLastError()}");
        Assert.Equal(4, sendto(a, Bytes("dgram"), 4, 0, addrB, addrB.Length));
        Assert.Equal(WSA_WAIT_EVENT_0, WSAWaitForMultipleEvents(1, [io.hEvent], false, 10_000, false));
        WSAOVERLAPPED ov = io;
        Assert.True(WSAGetOverlappedResult(b, ov, out uint got, false, out _));
        Assert.Equal(4u, got);
        Assert.Equal(4u, (uint)((PerIo)ov).InternalHigh);
        Assert.Equal("dgra", Text(io.Data, 4));
        Assert.Equal(PortOf(a), ntohs(SockAddr.As<SOCKADDR_IN>(from).sin_port)); // the address kept in a byte[] until completion
        WSACloseEvent(io.hEvent);
        closesocket(a); closesocket(b);
    }

    private static string RecvText(SOCKET s)
    {
        var b = new byte[16];
        int n = recv(s, b, b.Length, 0);
        Assert.True(n > 0, $"recv failed with {WSAGetLastError()}");
        return Text(b, n);
    }
}
