using Winsock2.Tests.Rooted;
using static Winsock2.Kernel32;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Iocp;

/// <summary>
/// AcceptEx on a listening c_root completes for the root, as it does for a TCP listener: to the root's port under the
/// root's key, when a leaf is admitted (its caller data as first data) and when the request is aborted.
/// </summary>
public class RootedAcceptExCompletionTests : RootedTest
{
    private const uint Block = 32;
    private const nuint RootKey = 41, AcceptKey = 42;
    private readonly List<HANDLE> _ports = new();

    private HANDLE NewPort()
    {
        var port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0)!;
        _ports.Add(port);
        return port;
    }

    public override void Dispose()
    {
        foreach (var p in _ports) CloseHandle(p);
        base.Dispose();
    }

    /// <summary>A listening root and an accept socket, each associated with its own port, and an AcceptEx posted.</summary>
    private (SOCKET Root, byte[] Addr, HANDLE RootPort, SOCKET Accept, HANDLE AcceptPort, byte[] Buffer, WSAOVERLAPPED Ov) Posted()
    {
        var (root, addr) = ListeningRoot();
        var rootPort = NewPort();
        Assert.Equal(rootPort, CreateIoCompletionPort((HANDLE)root, rootPort, RootKey, 0));
        var accepted = NewLeaf();
        var acceptPort = NewPort();
        Assert.Equal(acceptPort, CreateIoCompletionPort((HANDLE)accepted, acceptPort, AcceptKey, 0));
        Ok(WSAIoctl(root, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_ACCEPTEX, out LPFN_ACCEPTEX? acceptEx, out _, null, null));
        var buffer = new byte[32 + 2 * Block];
        var ov = new WSAOVERLAPPED();
        Assert.False(acceptEx!(root, accepted, buffer, 32, Block, Block, out _, ov));
        Assert.Equal(ERROR_IO_PENDING, WSAGetLastError());
        return (root, addr, rootPort, accepted, acceptPort, buffer, ov);
    }

    [Fact]
    public void AcceptEx_ListeningRootAssociated_AdmittedLeafCompletesToRootsPort()
    {
        var (_, addr, rootPort, _, acceptPort, buffer, ov) = Posted();
        var leaf = NewLeaf();
        Assert.True(WSAJoinLeaf(leaf, addr, addr.Length, new WSABUF(Bytes("caller")), null, null, null, JL_BOTH).IsValid, $"join: {WSAGetLastError()}");
        Assert.True(GetQueuedCompletionStatus(rootPort, out uint bytes, out nuint key, out var got, 20_000), $"error {GetLastError()}");
        Assert.Same(ov, got);
        Assert.Equal((6u, RootKey), (bytes, key));
        Assert.Equal("caller", Text(buffer, 6));
        Assert.False(GetQueuedCompletionStatus(acceptPort, out _, out _, out _, 0));
        Assert.Equal(WAIT_TIMEOUT, GetLastError());
    }

    [Fact]
    public void AcceptEx_AcceptSocketClosed_AbortedToRootsPort()
    {
        var (_, _, rootPort, accepted, _, _, ov) = Posted();
        Ok(closesocket(accepted));
        Assert.False(GetQueuedCompletionStatus(rootPort, out _, out nuint key, out var got, 20_000));
        Assert.Equal((uint)ERROR_OPERATION_ABORTED, GetLastError());
        Assert.Same(ov, got);
        Assert.Equal(RootKey, key);
    }

    [Fact]
    public void AcceptEx_RootClosed_AbortedToRootsPort()
    {
        var (root, _, rootPort, _, _, _, ov) = Posted();
        Ok(closesocket(root));
        Assert.False(GetQueuedCompletionStatus(rootPort, out _, out nuint key, out var got, 20_000));
        Assert.Equal((uint)ERROR_OPERATION_ABORTED, GetLastError());
        Assert.Same(ov, got);
        Assert.Equal(RootKey, key);
    }
}
