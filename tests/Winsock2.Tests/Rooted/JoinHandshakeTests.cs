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
}
