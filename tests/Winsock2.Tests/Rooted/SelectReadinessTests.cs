using Winsock2.Providers.Rooted;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Rooted;

/// <summary>
/// select on rooted sockets (root, per-leaf, leaf): readable, writable and exceptional by their real state, and a
/// waiting select is woken as soon as that changes. The selects wait without a timeout: one that is not woken never
/// returns, and the bounded join on its thread fails the test.
/// </summary>
public class SelectReadinessTests : RootedTest
{
    private static int Waiters(SOCKET s)
    {
        Assert.True(Runtime.ApiInstance.Sockets.TryGet(s.Value, out var entry));
        return ((RootedSocket)entry.Context!).ReadyWaiterCount;
    }

    /// <summary>Starts a select without timeout on another thread and returns once it waits on <paramref name="s"/>.</summary>
    private Worker SelectWaiting(SOCKET s, fd_set? reads, fd_set? writes, fd_set? excepts, Action<int> result)
    {
        var w = Run(() => result(select(0, reads, writes, excepts, null)));
        Eventually(() => Waiters(s) > 0, "the select waiting");
        return w;
    }

    private void WokenForRead(SOCKET waitOn, Action cause)
    {
        var reads = fd_set.Of(waitOn);
        int n = -1;
        var w = SelectWaiting(waitOn, reads, null, null, r => n = r);
        cause();
        Assert.True(w.Join(30_000), "select was not woken by the message");
        Assert.Equal(1, n);
        Assert.True(FD_ISSET(waitOn, reads));
    }

    [Fact]
    public void select_RootWaitingForRead_WokenByLeafMessage()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        WokenForRead(root, () => SendText(leaf, "up"));
        Assert.Equal("up", RecvText(root));
    }

    [Fact]
    public void select_PerLeafSocketWaitingForRead_WokenByItsLeafMessage()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, handle) = JoinAccepted(root, addr);
        WokenForRead(handle, () => SendText(leaf, "side"));
        Assert.Equal("side", RecvText(handle));
    }

    [Fact]
    public void select_LeafWaitingForRead_WokenByRootMessage()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _) = JoinAccepted(root, addr);
        WokenForRead(leaf, () => SendText(root, "down"));
        Assert.Equal("down", RecvText(leaf));
    }

    [Fact]
    public void select_RootPerLeafAndLeaf_WritableWhenJoined()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, handle) = JoinAccepted(root, addr);
        var writes = fd_set.Of(root, handle, leaf);
        Assert.Equal(3, select(0, null, writes, null, new timeval()));
        var unjoined = NewLeaf();
        writes = fd_set.Of(unjoined);
        Assert.Equal(0, select(0, null, writes, null, new timeval())); // nothing to send on
    }

    [Fact]
    public void select_ShapedLeafOutOfTokens_NotWritableThenWokenWhenTokensReturn()
    {
        var (root, addr) = ListeningRoot();
        var (leaf, _, _) = JoinWithQos(root, addr, Qos(Spec(100, SERVICETYPE_CONTROLLEDLOAD, bucket: 100)));
        var msg = new byte[600];
        Assert.Equal(msg.Length, send(leaf, msg, msg.Length, 0)); // the bucket is in debt for five seconds
        var writes = fd_set.Of(leaf);
        Assert.Equal(0, select(0, null, writes, null, new timeval()));
        writes = fd_set.Of(leaf);
        int n = -1;
        var w = SelectWaiting(leaf, null, writes, null, r => n = r);
        Assert.True(w.Join(30_000), "select was not woken when the tokens came back");
        Assert.Equal(1, n);
        Assert.True(FD_ISSET(leaf, writes));
    }

    [Fact]
    public void select_FailedNonblockingJoin_ExceptionalUntilSoErrorRead()
    {
        var (root, addr) = ListeningRoot();
        var leaf = NewLeaf();
        var ev = NewEvent();
        Ok(WSAEventSelect(leaf, ev, FD_CONNECT));
        Assert.Equal(leaf, WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH));
        Fails(WSAECONNREFUSED, WSAAccept(root, Cond((_, _, _, _) => CF_REJECT), 0));
        WaitEvents(leaf, ev, FD_CONNECT);
        var excepts = fd_set.Of(leaf);
        Assert.Equal(1, select(0, null, null, excepts, new timeval()));
        Assert.True(FD_ISSET(leaf, excepts));
        Assert.Equal(0, getsockopt(leaf, SOL_SOCKET, SO_ERROR, out int error));
        Assert.Equal(WSAECONNREFUSED, error);
        excepts = fd_set.Of(leaf);
        Assert.Equal(0, select(0, null, null, excepts, new timeval()));
    }
}
