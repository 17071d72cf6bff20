using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Winsock2.Multipoint;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Multipoint;

/// <summary>MultipointRoot / MultipointLeaf: joins, admission, fan-out, departures, invitations, QoS, cancellation.</summary>
public class MultipointSessionTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private static readonly IPEndPoint Any = new(IPAddress.Loopback, 0);

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string S(ReadOnlyMemory<byte> b) => Encoding.UTF8.GetString(b.Span);

    private static MultipointLeafOptions Caller(string data) => new() { ConnectData = B(data) };

    private static async Task<T> Next<T>(IAsyncEnumerable<T> stream)
    {
        await using var e = stream.GetAsyncEnumerator();
        Assert.True(await e.MoveNextAsync().AsTask().WaitAsync(Limit), "the stream ended");
        return e.Current;
    }

    [Fact]
    public async Task JoinAsync_AdmissionSeesCallerData_CalleeDataComesBack()
    {
        LeafJoinRequest? seen = null;
        await using var root = await MultipointRoot.ListenAsync(Any, new MultipointRootOptions
        {
            Admission = r => { seen = r; return LeafAdmission.Accept(B("welcome " + S(r.CallerData))); },
        });
        await using var leaf = await MultipointLeaf.JoinAsync(root.LocalEndPoint, Caller("alice")).AsTask().WaitAsync(Limit);
        Assert.Equal("welcome alice", S(leaf.CalleeData));
        Assert.Equal("alice", S(seen!.CallerData));
        Assert.False(seen.HasQos);
        var joined = await Next(root.LeafJoined);
        Assert.Equal("alice", S(joined.CallerData));
        Assert.Equal(leaf.LocalEndPoint, joined.EndPoint);
        Assert.Equal(1, joined.Id);
    }

    [Fact]
    public async Task JoinAsync_Refused_SocketExceptionWSAECONNREFUSED()
    {
        await using var root = await MultipointRoot.ListenAsync(Any, new MultipointRootOptions
        {
            Admission = r => S(r.CallerData) == "friend" ? LeafAdmission.Accept() : LeafAdmission.Refuse(),
        });
        var e = await Assert.ThrowsAsync<SocketException>(() => MultipointLeaf.JoinAsync(root.LocalEndPoint, Caller("stranger")).AsTask().WaitAsync(Limit));
        Assert.Equal(WSAECONNREFUSED, (int)e.SocketErrorCode);
        Assert.Contains("WSAECONNREFUSED 10061", e.Message);
        await using var friend = await MultipointLeaf.JoinAsync(root.LocalEndPoint, Caller("friend")).AsTask().WaitAsync(Limit);
        // The leaf's join completes when the root's answer arrives; the root records the leaf after it sent that answer,
        // on its own thread: LeafJoined says it has. The refused join never appears there.
        Assert.Equal("friend", S((await Next(root.LeafJoined)).CallerData));
        Assert.Equal("friend", S(Assert.Single(root.Leaves).CallerData));
    }

    [Fact]
    public async Task JoinAsync_NobodyListening_WSAECONNREFUSED()
    {
        var root = await MultipointRoot.ListenAsync(Any);
        var address = root.LocalEndPoint;
        await root.DisposeAsync();
        var e = await Assert.ThrowsAsync<SocketException>(() => MultipointLeaf.JoinAsync(address).AsTask().WaitAsync(Limit));
        Assert.Equal(WSAECONNREFUSED, (int)e.SocketErrorCode);
    }

    [Fact]
    public async Task ListenAsync_PortInUse_WSAEADDRINUSE()
    {
        await using var root = await MultipointRoot.ListenAsync(Any);
        var e = await Assert.ThrowsAsync<SocketException>(() => MultipointRoot.ListenAsync(root.LocalEndPoint).AsTask());
        Assert.Equal(WSAEADDRINUSE, (int)e.SocketErrorCode);
    }

    [Fact]
    public async Task SendAsync_FansOutToEveryLeaf_ReceiveAsyncTellsWhichLeafSent()
    {
        await using var root = await MultipointRoot.ListenAsync(Any);
        await using var a = await MultipointLeaf.JoinAsync(root.LocalEndPoint, Caller("a"));
        await using var b = await MultipointLeaf.JoinAsync(root.LocalEndPoint, Caller("b"));
        for (int i = 0; i < 10; i++) await root.SendAsync(B($"m{i}"));
        foreach (var leaf in new[] { a, b })
            for (int i = 0; i < 10; i++) Assert.Equal($"m{i}", S(await leaf.ReceiveAsync().AsTask().WaitAsync(Limit)));
        await b.SendAsync(B("from b"));
        var m = await root.ReceiveAsync().AsTask().WaitAsync(Limit);
        Assert.Equal("from b", S(m.Data));
        Assert.Equal("b", S(m.Leaf.CallerData));
        Assert.Equal(b.LocalEndPoint, m.Leaf.EndPoint);
    }

    [Fact]
    public async Task DisposeAsync_Leaf_RootSeesGracefulLeafLeft()
    {
        await using var root = await MultipointRoot.ListenAsync(Any);
        var leaf = await MultipointLeaf.JoinAsync(root.LocalEndPoint, Caller("leaving"));
        await Next(root.LeafJoined);
        await leaf.SendAsync(B("last words"));
        await leaf.DisposeAsync();
        var left = await Next(root.LeafLeft);
        Assert.Equal(0, left.ErrorCode);
        Assert.True(left.Graceful);
        Assert.Equal("leaving", S(left.Leaf.CallerData));
        var m = await root.ReceiveAsync().AsTask().WaitAsync(Limit);
        Assert.Equal("last words", S(m.Data));
        Assert.True((await leaf.Closed).Local);
        Assert.Empty(root.Leaves);
    }

    [Fact]
    public async Task DisposeAsync_Root_LeavesReadEverythingThenWSAEDISCON()
    {
        var root = await MultipointRoot.ListenAsync(Any);
        await using var leaf = await MultipointLeaf.JoinAsync(root.LocalEndPoint);
        await root.SendAsync(B("before the end"));
        await root.DisposeAsync();
        Assert.Equal("before the end", S(await leaf.ReceiveAsync().AsTask().WaitAsync(Limit)));
        var e = await Assert.ThrowsAsync<SocketException>(() => leaf.ReceiveAsync().AsTask().WaitAsync(Limit));
        Assert.Equal(WSAEDISCON, (int)e.SocketErrorCode);
        var reason = await leaf.Closed.WaitAsync(Limit);
        Assert.Equal(new MultipointCloseReason(0, false), reason);
    }

    [Fact]
    public async Task InviteAsync_LeafAcceptsInvitation_DataBothWays()
    {
        await using var root = await MultipointRoot.ListenAsync(Any);
        await using var listener = await MultipointInvitationListener.ListenAsync(Any, new MultipointLeafOptions { ConnectData = B("glad to") });
        var accepting = listener.AcceptAsync().AsTask();
        var info = await root.InviteAsync(listener.LocalEndPoint, B("join us")).AsTask().WaitAsync(Limit);
        await using var leaf = await accepting.WaitAsync(Limit);
        Assert.True(info.Invited);
        Assert.Equal("glad to", S(info.CalleeData));
        Assert.Equal("join us", S(leaf.InvitationData));
        Assert.True(leaf.Invited);
        await root.SendAsync(B("to all"));
        Assert.Equal("to all", S(await leaf.ReceiveAsync().AsTask().WaitAsync(Limit)));
        await leaf.SendAsync(B("back"));
        var m = await root.ReceiveAsync().AsTask().WaitAsync(Limit);
        Assert.Equal("back", S(m.Data));
        Assert.True(m.Leaf.Invited);
    }

    [Fact]
    public async Task InviteAsync_NobodyListening_WSAECONNREFUSED()
    {
        await using var root = await MultipointRoot.ListenAsync(Any);
        await using var listener = await MultipointInvitationListener.ListenAsync(Any);
        var address = listener.LocalEndPoint;
        await listener.DisposeAsync();
        var e = await Assert.ThrowsAsync<SocketException>(() => root.InviteAsync(address).AsTask().WaitAsync(Limit));
        Assert.Equal(WSAECONNREFUSED, (int)e.SocketErrorCode);
    }

    [Fact]
    public async Task Admission_LowersTokenRate_LeafSendsArePaced()
    {
        await using var root = await MultipointRoot.ListenAsync(Any, new MultipointRootOptions
        {
            Admission = r =>
            {
                var f = r.SendingFlowspec!.Value;
                f.TokenRate = 4000;
                f.TokenBucketSize = 1000;
                r.SendingFlowspec = f;
                return LeafAdmission.Accept();
            },
        });
        var qos = new QOS { SendingFlowspec = FLOWSPEC.NotSpecified(SERVICETYPE_GUARANTEED), ReceivingFlowspec = FLOWSPEC.NotSpecified(SERVICETYPE_BESTEFFORT) };
        qos.SendingFlowspec.TokenRate = 1_000_000;
        await using var leaf = await MultipointLeaf.JoinAsync(root.LocalEndPoint, new MultipointLeafOptions { Qos = qos });
        Assert.Equal(4000u, leaf.Granted!.SendingFlowspec.TokenRate);
        Assert.Equal(4000u, (await Next(root.LeafJoined)).Granted!.SendingFlowspec.TokenRate);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 5; i++) await leaf.SendAsync(new byte[1000]).AsTask().WaitAsync(Limit);
        Assert.True(clock.ElapsedMilliseconds >= 600, $"5 x 1000 bytes at 4000 B/s took only {clock.ElapsedMilliseconds} ms");
        for (int i = 0; i < 5; i++) Assert.Equal(1000, (await root.ReceiveAsync().AsTask().WaitAsync(Limit)).Data.Length);
    }

    [Fact]
    public async Task ReceiveAsync_Cancelled_LosesNothing()
    {
        await using var root = await MultipointRoot.ListenAsync(Any);
        await using var leaf = await MultipointLeaf.JoinAsync(root.LocalEndPoint);
        using var cts = new CancellationTokenSource(100);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaf.ReceiveAsync(cts.Token).AsTask());
        await root.SendAsync(B("still here"));
        Assert.Equal("still here", S(await leaf.ReceiveAsync().AsTask().WaitAsync(Limit)));
    }

    [Fact]
    public async Task JoinAsync_Cancelled_WithdrawsTheJoin()
    {
        var silent = new TcpListener(IPAddress.Loopback, 0); // accepts TCP but never answers the join
        silent.Start();
        try
        {
            using var cts = new CancellationTokenSource(200);
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                MultipointLeaf.JoinAsync((IPEndPoint)silent.LocalEndpoint, null, cts.Token).AsTask().WaitAsync(Limit));
            Assert.True(clock.ElapsedMilliseconds < 5000);
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task JoinAsync_SilentPeer_WSAETIMEDOUT()
    {
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var e = await Assert.ThrowsAsync<SocketException>(() => MultipointLeaf.JoinAsync((IPEndPoint)silent.LocalEndpoint,
                new MultipointLeafOptions { JoinTimeout = TimeSpan.FromMilliseconds(300) }).AsTask().WaitAsync(Limit));
            Assert.Equal(WSAETIMEDOUT, (int)e.SocketErrorCode);
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task SendAsync_ReceiveOnlyLeaf_WSAEOPNOTSUPP()
    {
        await using var root = await MultipointRoot.ListenAsync(Any);
        await using var leaf = await MultipointLeaf.JoinAsync(root.LocalEndPoint, new MultipointLeafOptions { Direction = MultipointDirection.ReceiveOnly });
        var e = await Assert.ThrowsAsync<SocketException>(() => leaf.SendAsync(B("x")).AsTask().WaitAsync(Limit));
        Assert.Equal(WSAEOPNOTSUPP, (int)e.SocketErrorCode);
    }

    [Fact]
    public async Task ReceiveAllAsync_RootEndsSession_EndsQuietlyAfterEveryMessage()
    {
        var root = await MultipointRoot.ListenAsync(Any);
        await using var leaf = await MultipointLeaf.JoinAsync(root.LocalEndPoint);
        await root.SendAsync(B("one"));
        await root.SendAsync(B("two"));
        await root.DisposeAsync();
        var got = new List<string>();
        await foreach (var m in leaf.ReceiveAllAsync().WithCancellation(new CancellationTokenSource(Limit).Token)) got.Add(S(m));
        Assert.Equal(["one", "two"], got);
    }
}
