using Winsock2.Providers.Rooted;
using Winsock2.Providers.Rooted.Wire;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// A blocked accept takes its joins itself and a blocked WSAJoinLeaf reads its own answer (each sleeping on its
/// sockets and on its own wake-up): what must still hold — completion routines run, WSACancelBlockingCall and
/// closesocket end the call, and what the waiting thread took over goes back to the reactor when its wait ends.
/// </summary>
public class JoinWaitTests : RootedTest
{
    private static SOCKET Valid(SOCKET s)
    {
        Assert.True(s.IsValid, $"failed with {WSAGetLastError()}");
        return s;
    }

    [Fact]
    public void accept_BlockingCancelledFromCompletionRoutine_WSAEINTR_NextJoinQueuedForTheNextAccept()
    {
        var (root, addr) = ListeningRoot();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        int error = 0;
        var acceptor = Run(() =>
        {
            uint f = 0;
            WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref f, new WSAOVERLAPPED(), (_, _, _, _) => WSACancelBlockingCall());
            var h = accept(root);
            error = h.IsValid ? 0 : WSAGetLastError();
            if (h.IsValid) closesocket(h);
        });
        Eventually(() => acceptor.Sleeping, "the acceptor asleep in accept");
        Assert.Equal(1, send(c, Bytes("!"), 1, 0)); // the routine runs in the blocked accept and cancels it
        Assert.True(acceptor.Join(10_000));
        Assert.Equal(WSAEINTR, error);

        // Nobody accepts now: the listener is the reactor's again, which takes the next join's request.
        var leaf = NewLeaf();
        bool joined = false;
        var joiner = Run(() => joined = WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH).IsValid);
        Eventually(() => select(0, fd_set.Of(root), null, null, new timeval()) == 1, "the request queued at the root");
        Track(Valid(accept(root)));
        Assert.True(joiner.Join(10_000));
        Assert.True(joined);
    }

    [Fact]
    public void accept_CompletionRoutineDuringBlockingAccept_RunsAndTheAcceptThenTakesTheJoin()
    {
        var (root, addr) = ListeningRoot();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        using var ran = new ManualResetEventSlim();
        SOCKET handle = SOCKET.Invalid;
        var acceptor = Run(() =>
        {
            uint f = 0;
            WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref f, new WSAOVERLAPPED(), (_, _, _, _) => ran.Set());
            handle = accept(root);
        });
        Eventually(() => acceptor.Sleeping, "the acceptor asleep in accept");
        Assert.Equal(1, send(c, Bytes("!"), 1, 0));
        Assert.True(ran.Wait(10_000), "the completion routine did not run in the blocked accept");
        var leaf = NewLeaf();
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        Assert.True(acceptor.Join(10_000));
        Assert.True(Track(handle).IsValid);
        SendText(handle, "after"); // the member's connection is watched: data flows both ways
        Assert.Equal("after", RecvText(leaf));
        SendText(leaf, "back");
        Assert.Equal("back", RecvText(handle));
    }

    [Fact]
    public void accept_BlockedAcceptorClosedByAnotherThread_WSAEINTR()
    {
        var (root, _) = ListeningRoot();
        var acceptor = new BlockingAccept(root);
        Eventually(() => acceptor.Worker.Sleeping, "the acceptor asleep in accept");
        Ok(closesocket(root));
        Assert.True(acceptor.Worker.Join(10_000));
        Assert.False(acceptor.Handle.IsValid);
        Assert.Equal(WSAEINTR, acceptor.Error);
    }

    [Fact]
    public void accept_ConnectionTakenBeforeItsRequest_TheReactorReadsTheRequestAfterTheAcceptEnded()
    {
        var (root, addr) = ListeningRoot();
        var rootSocket = ContextOf<RootSocket>(root);
        var (c, s) = TcpPair();
        Track(c); Track(s);
        int error = 0;
        var acceptor = Run(() =>
        {
            uint f = 0;
            WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref f, new WSAOVERLAPPED(), (_, _, _, _) => WSACancelBlockingCall());
            var h = accept(root);
            error = h.IsValid ? 0 : WSAGetLastError();
        });
        Eventually(() => acceptor.Sleeping, "the acceptor asleep in accept");
        // A joiner that connects and says nothing yet: the sleeping acceptor takes its connection.
        var raw = Track(socket(AF_INET, SOCK_STREAM, 0));
        Ok(connect(raw, addr, addr.Length));
        Eventually(() => rootSocket.Handshaking.Count == 1, "the connection taken by the root");
        Assert.Equal(1, send(c, Bytes("!"), 1, 0)); // cancel the accept: the connection goes back to the reactor
        Assert.True(acceptor.Join(10_000));
        Assert.Equal(WSAEINTR, error);

        var request = new JoinRequest(JoinDirection.LeafInitiated, JL_BOTH, [], null).Encode();
        Assert.Equal(request.Length, send(raw, request, request.Length, 0));
        Eventually(() => select(0, fd_set.Of(root), null, null, new timeval()) == 1, "the request read by the reactor");
        Track(Valid(accept(root)));
        Ok(setsockopt(raw, SOL_SOCKET, SO_RCVTIMEO, 10_000));
        var answer = new byte[Frame.HeaderSize];
        Assert.True(recv(raw, answer, answer.Length, 0) > 0, $"no answer: {WSAGetLastError()}");
    }

    [Fact]
    public void WSAJoinLeaf_RootInitiated_CompletionRoutineDuringBlockedInvite_RunsAndTheInviteCompletes()
    {
        var root = NewRoot();
        var (leafListener, leafAddr) = ListeningLeaf();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        using var ran = new ManualResetEventSlim();
        SOCKET handle = SOCKET.Invalid;
        var inviter = Run(() =>
        {
            uint f = 0;
            WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref f, new WSAOVERLAPPED(), (_, _, _, _) => ran.Set());
            handle = WSAJoinLeaf(root, leafAddr, leafAddr.Length, null, null, null, null, JL_BOTH);
        });
        // The invitation waits at the leaf (nobody accepts yet) and the root's thread sleeps in its join.
        Eventually(() => select(0, fd_set.Of(leafListener), null, null, new timeval()) == 1 && inviter.Sleeping, "the inviter blocked");
        Assert.Equal(1, send(c, Bytes("!"), 1, 0));
        Assert.True(ran.Wait(10_000), "the completion routine did not run in the blocked WSAJoinLeaf");
        var member = Track(Valid(accept(leafListener)));
        Assert.True(inviter.Join(10_000));
        Assert.True(Track(handle).IsValid, $"invite failed with {WSAGetLastError()}");
        SendText(member, "hello");
        Assert.Equal("hello", RecvText(handle));
    }

    [Fact]
    public void WSAJoinLeaf_RootInitiated_BlockedInviterCancelled_WSAEINTR()
    {
        var root = NewRoot();
        var (leafListener, leafAddr) = ListeningLeaf();
        var (c, s) = TcpPair();
        Track(c); Track(s);
        int error = 0;
        var inviter = Run(() =>
        {
            uint f = 0;
            WSARecv(s, [new WSABUF(new byte[4])], 1, out _, ref f, new WSAOVERLAPPED(), (_, _, _, _) => WSACancelBlockingCall());
            var h = WSAJoinLeaf(root, leafAddr, leafAddr.Length, null, null, null, null, JL_BOTH);
            error = h.IsValid ? 0 : WSAGetLastError();
        });
        Eventually(() => select(0, fd_set.Of(leafListener), null, null, new timeval()) == 1 && inviter.Sleeping, "the inviter blocked");
        Assert.Equal(1, send(c, Bytes("!"), 1, 0));
        Assert.True(inviter.Join(10_000));
        Assert.Equal(WSAEINTR, error);
    }
}
