using Winsock2.Tests.Porting;
using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>
/// A program's per-I/O record (a class deriving from WSAOVERLAPPED, as C puts the OVERLAPPED first and casts back)
/// posted to WSARecv comes back from the completion port as the same object, with its own fields intact.
/// </summary>
public class PerIoCompletionTests : IocpTest
{
    [Fact]
    public void GetQueuedCompletionStatus_PerIoSubclassPostedToWSARecv_ReturnsTheSameObject()
    {
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        Associate(s, port, 5);
        var io = new PerIo(PerIo.Receive, s);
        uint flags = 0;
        Fails(WSA_IO_PENDING, WSARecv(s, [io.Buf], 1, out _, ref flags, io, null));
        Assert.Equal(4, send(c, Bytes("data"), 4, 0));
        Assert.True(GetQueuedCompletionStatus(port, out uint bytes, out nuint key, out var ov, 10_000), $"error {GetLastError()}");
        var back = Assert.IsType<PerIo>(ov);
        Assert.Same(io, back);
        Assert.Equal((4u, (nuint)5), (bytes, key));
        Assert.Equal((PerIo.Receive, s), (back.Operation, back.Socket));
        Assert.Equal("data", Text(back.Data, 4));
    }

    [Fact]
    public void GetQueuedCompletionStatusEx_PerIoSubclassesPostedToWSARecv_ReturnTheSameObjects()
    {
        const int Count = 4;
        var port = NewPort();
        var pairs = Enumerable.Range(0, Count).Select(_ => TcpPair()).ToArray();
        var posted = new List<PerIo>();
        for (int i = 0; i < Count; i++)
        {
            var (c, s) = pairs[i];
            Track(c); Track(s);
            Associate(s, port, (nuint)i);
            var io = new PerIo(PerIo.Receive, s);
            posted.Add(io);
            uint flags = 0;
            Fails(WSA_IO_PENDING, WSARecv(s, [io.Buf], 1, out _, ref flags, io, null));
            Assert.Equal(1, send(c, [(byte)('a' + i)], 1, 0));
        }
        var entries = new OVERLAPPED_ENTRY[Count];
        var seen = new List<PerIo>();
        while (seen.Count < Count)
        {
            Assert.True(GetQueuedCompletionStatusEx(port, entries, Count, out uint n, 10_000, false), $"error {GetLastError()}");
            for (int i = 0; i < n; i++)
            {
                var back = Assert.IsType<PerIo>(entries[i].lpOverlapped);
                int which = (int)entries[i].lpCompletionKey;
                Assert.Same(posted[which], back);
                Assert.Equal(1u, entries[i].dwNumberOfBytesTransferred);
                Assert.Equal((byte)('a' + which), back.Data[0]);
                Assert.Equal(pairs[which].Server, back.Socket);
                seen.Add(back);
            }
        }
        Assert.Equal(Count, seen.Distinct().Count());
    }
}
