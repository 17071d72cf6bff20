using Winsock2.Kernel;
using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>CreateIoCompletionPort: creating a port, associating sockets, and its documented failures.</summary>
public class CreateIoCompletionPortTests : IocpTest
{
    [Fact]
    public void CreateIoCompletionPort_InvalidHandleValueAndNoPort_CreatesDistinctPorts()
    {
        var a = NewPort();
        var b = NewPort();
        Assert.NotEqual(a, b);
        Assert.NotEqual(INVALID_HANDLE_VALUE, a);
        Assert.True(PostQueuedCompletionStatus(a, 1, 2, null));
        var got = Take(a);
        Assert.True(got.Ok);
        Assert.Equal((1u, (nuint)2), (got.Bytes, got.Key));
    }

    [Fact]
    public void CreateIoCompletionPort_InvalidHandleValueWithExistingPort_FailsInvalidParameter()
    {
        var port = NewPort();
        Assert.Null(CreateIoCompletionPort(INVALID_HANDLE_VALUE, port, 0, 0));
        Assert.Equal((uint)ERROR_INVALID_PARAMETER, GetLastError());
    }

    [Fact]
    public void CreateIoCompletionPort_ConcurrencyZero_IsProcessorCount()
    {
        var port = NewPort(0);
        Assert.True(CompletionPort.TryGet(port, out var p));
        Assert.Equal(Environment.ProcessorCount, p.Concurrency);
        Assert.True(CompletionPort.TryGet(NewPort(3), out var q));
        Assert.Equal(3, q.Concurrency);
    }

    [Fact]
    public void CreateIoCompletionPort_SocketAndExistingPort_ReturnsThatPortAndCompletionsCarryTheKey()
    {
        var port = NewPort();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        Associate(s, port, 0x5EED);
        var buf = new byte[16];
        var ov = new WSAOVERLAPPED();
        Fails(WSA_IO_PENDING, PostRecv(s, buf, ov));
        Assert.Equal(5, send(c, Bytes("hello"), 5, 0));
        var got = Take(port);
        Assert.True(got.Ok, $"error {got.Error}");
        Assert.Same(ov, got.Ov);
        Assert.Equal((nuint)0x5EED, got.Key);
        Assert.Equal(5u, got.Bytes);
        Assert.Equal("hello", Text(buf, 5));
    }

    [Fact]
    public void CreateIoCompletionPort_SocketAndNullPort_CreatesAPortAssociatedWithIt()
    {
        var (c, s) = TcpPair();
        Track(c); Track(s);
        var port = CreateIoCompletionPort(s, null, 7, 0);
        Assert.NotNull(port);
        try
        {
            var ov = new WSAOVERLAPPED();
            Fails(WSA_IO_PENDING, PostRecv(s, new byte[8], ov));
            Assert.Equal(1, send(c, [42], 1, 0));
            var got = Take(port);
            Assert.True(got.Ok);
            Assert.Equal((nuint)7, got.Key);
            Assert.Same(ov, got.Ov);
        }
        finally { CloseHandle(port); }
    }

    [Fact]
    public void CreateIoCompletionPort_SocketAlreadyAssociated_FailsInvalidParameter()
    {
        var port = NewPort();
        var other = NewPort();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        Associate(s, port, 1);
        Assert.Null(CreateIoCompletionPort((HANDLE)s, port, 2, 0));
        Assert.Equal((uint)ERROR_INVALID_PARAMETER, GetLastError());
        Assert.Null(CreateIoCompletionPort((HANDLE)s, other, 2, 0));
        Assert.Equal((uint)ERROR_INVALID_PARAMETER, GetLastError());
        // The first association stands.
        var ov = new WSAOVERLAPPED();
        Fails(WSA_IO_PENDING, PostRecv(s, new byte[8], ov));
        Assert.Equal(1, send(c, [1], 1, 0));
        Assert.Equal((nuint)1, Take(port).Key);
        Assert.Equal(WAIT_TIMEOUT, Take(other, 0).Error);
    }

    [Fact]
    public void CreateIoCompletionPort_NotASocket_FailsInvalidHandle()
    {
        var port = NewPort();
        var s = Check(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Ok(closesocket(s));
        Assert.Null(CreateIoCompletionPort((HANDLE)s, port, 0, 0));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
        Assert.Null(CreateIoCompletionPort(new HANDLE(0x7777), port, 0, 0));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
        Assert.Null(CreateIoCompletionPort(port, null, 0, 0)); // a port is not a file
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
    }

    [Fact]
    public void CreateIoCompletionPort_ExistingPortNotAPort_FailsInvalidHandleAndLeavesSocketFree()
    {
        var closed = NewPort();
        Assert.True(CloseHandle(closed));
        var s = Track(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        Assert.Null(CreateIoCompletionPort((HANDLE)s, closed, 0, 0));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
        Assert.Null(CreateIoCompletionPort((HANDLE)s, (HANDLE)s, 0, 0));
        Assert.Equal((uint)ERROR_INVALID_HANDLE, GetLastError());
        Associate(s, NewPort(), 3); // still not associated: this succeeds
    }

    [Fact]
    public void CreateIoCompletionPort_SocketCastToHandle_KeepsItsValue()
    {
        var s = Track(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        Assert.Equal((nint)s.Value, ((HANDLE)s).Value);
        Assert.Equal(INVALID_HANDLE_VALUE, (HANDLE)INVALID_SOCKET);
    }
}
