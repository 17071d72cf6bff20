using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// The join handshake written by the threads that make it (the joiner's request, the acceptor's answer) and waited
/// for without the session lock: what the join must still guarantee — order against the first data, interruption.
/// </summary>
public class JoinHandshakeTests : RootedTest
{
    [Fact]
    public void WSAAccept_RootSendsRightAfterAdmitting_JoinerJoinsThenReceivesIt()
    {
        var (root, addr) = ListeningRoot();
        var leaf = NewLeaf();
        SOCKET handle = SOCKET.Invalid;
        var acceptor = Run(() =>
        {
            handle = accept(root);
            Assert.True(handle.IsValid, $"accept failed with {WSAGetLastError()}");
            SendText(root, "first"); // before the joiner can have read the answer: it must still come after it
        });
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000));
        Track(handle);
        Assert.Equal("first", RecvText(leaf));
    }

    [Fact]
    public void WSAJoinLeaf_RootInitiated_MemberSendsRightAfterAccepting_RootReceivesIt()
    {
        var root = NewRoot();
        var (leafListener, leafAddr) = ListeningLeaf();
        SOCKET member = SOCKET.Invalid;
        var acceptor = Run(() =>
        {
            member = accept(leafListener);
            Assert.True(member.IsValid, $"accept failed with {WSAGetLastError()}");
            SendText(member, "hello"); // right behind the answer on the same connection
        });
        var handle = Track(WSAJoinLeaf(root, leafAddr, leafAddr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000));
        Track(member);
        Assert.Equal("hello", RecvText(handle));
    }

    [Fact]
    public void WSAJoinLeaf_BlockedJoinerClosedByAnotherThread_WSAEINTR()
    {
        var (root, addr) = ListeningRoot(); // nobody accepts: the join blocks once its request is queued
        var leaf = WSASocket(AF_INET, SOCK_SEQPACKET, 0, null, 0, LeafFlags); // closed here, not tracked
        Assert.True(leaf.IsValid);
        bool joined = true;
        int error = 0;
        var joiner = Run(() =>
        {
            joined = WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH).IsValid;
            error = joined ? 0 : WSAGetLastError();
        });
        // The root holds the request (readable) and the joiner sleeps in its wait.
        Eventually(() => select(0, fd_set.Of(root), null, null, new timeval()) == 1 && joiner.Sleeping, "the joiner blocked");
        Ok(closesocket(leaf));
        Assert.True(joiner.Join(10_000));
        Assert.False(joined);
        Assert.Equal(WSAEINTR, error);
    }

    [Fact]
    public void WSAJoinLeaf_RootInitiated_MemberReadsOnlyOnceTheRootIsBlocked_EveryMessageInOrder()
    {
        // The root's connection to an invited leaf is watched for writability only once a write meets a full buffer:
        // a member that stops reading fills it, the root's sender blocks, and everything still arrives when it reads.
        var root = NewRoot();
        var (leafListener, leafAddr) = ListeningLeaf();
        SOCKET member = SOCKET.Invalid;
        var acceptor = Run(() => member = accept(leafListener));
        var handle = Track(WSAJoinLeaf(root, leafAddr, leafAddr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000));
        Track(member);
        _ = handle;
        Ok(setsockopt(member, SOL_SOCKET, SO_RCVTIMEO, 30_000)); // a stuck stream fails the test instead of hanging it
        const int size = 64 * 1024, count = 256; // 16 MiB: more than the kernel's buffers and the root's queue
        var sender = Run(() =>
        {
            var msg = new byte[size];
            for (int i = 0; i < count; i++)
            {
                BitConverter.TryWriteBytes(msg, i);
                Assert.Equal(size, send(root, msg, size, 0));
            }
        });
        Eventually(() => sender.Sleeping, "the root's sender to block or finish", 30_000);
        var buf = new byte[size];
        for (int i = 0; i < count; i++)
        {
            int n = recv(member, buf, size, 0);
            Assert.True(n == size, $"message {i}: recv returned {n} (error {WSAGetLastError()})");
            Assert.Equal(i, BitConverter.ToInt32(buf, 0));
        }
        Assert.True(sender.Join(30_000));
    }

    [Fact]
    public void WSAJoinLeaf_LeafSendsWhileRootDoesNotRead_EveryMessageInOrderOnceItReads()
    {
        // The joiner's own connection, likewise watched for writability only from its first full buffer.
        var (root, addr) = ListeningRoot();
        var (leaf, handle) = JoinAccepted(root, addr);
        _ = handle;
        Ok(setsockopt(root, SOL_SOCKET, SO_RCVTIMEO, 30_000)); // a stuck stream fails the test instead of hanging it
        const int size = 64 * 1024, count = 256;
        var sender = Run(() =>
        {
            var msg = new byte[size];
            for (int i = 0; i < count; i++)
            {
                BitConverter.TryWriteBytes(msg, i);
                Assert.Equal(size, send(leaf, msg, size, 0));
            }
        });
        Eventually(() => sender.Sleeping, "the leaf's sender to block or finish", 30_000);
        var buf = new byte[size];
        for (int i = 0; i < count; i++)
        {
            int n = recv(root, buf, size, 0);
            Assert.True(n == size, $"message {i}: recv returned {n} (error {WSAGetLastError()})");
            Assert.Equal(i, BitConverter.ToInt32(buf, 0));
        }
        Assert.True(sender.Join(30_000));
    }
}
