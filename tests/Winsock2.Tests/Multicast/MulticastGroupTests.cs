using System.Net;
using System.Net.Sockets;
using System.Text;
using Winsock2.Multipoint;
using static Winsock2.Ws2_32;

namespace Winsock2.Tests.Multicast;

/// <summary>The idiomatic group type (Winsock2.Multipoint.MulticastGroup), pinned to 127.0.0.1.</summary>
public class MulticastGroupTests : MulticastTest
{
    private static MulticastGroupOptions Lo(MulticastDirection direction = MulticastDirection.Both) =>
        new() { InterfaceAddress = IPAddress.Loopback, TimeToLive = 0, Direction = direction };

    private static CancellationToken Bounded() => new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token;

    [Fact]
    public async Task MulticastGroup_SendReceiveAndDisposeLeaves()
    {
        var group = new IPEndPoint(NewGroup(), FreePort());
        var a = await MulticastGroup.JoinAsync(group, Lo());
        var b = await MulticastGroup.JoinAsync(group, Lo());
        Assert.Equal(group.Port, b.LocalEndPoint.Port);
        Assert.Contains(group.Address, LoopbackGroups());
        await a.SendAsync(Encoding.UTF8.GetBytes("hi"));
        var d = await b.ReceiveAsync(Bounded());
        Assert.Equal("hi", Encoding.UTF8.GetString(d.Data));
        Assert.Equal(group.Port, d.From.Port);
        await using (var e = b.ReceiveAllAsync(Bounded()).GetAsyncEnumerator())
        {
            await a.SendAsync(Encoding.UTF8.GetBytes("one"));
            await a.SendAsync(Encoding.UTF8.GetBytes("two"));
            Assert.True(await e.MoveNextAsync());
            Assert.Equal("one", Encoding.UTF8.GetString(e.Current.Data));
            Assert.True(await e.MoveNextAsync());
            Assert.Equal("two", Encoding.UTF8.GetString(e.Current.Data));
        }
        await a.DisposeAsync();
        await b.DisposeAsync();
        await b.DisposeAsync(); // twice is fine
        Eventually(() => !LoopbackGroups().Contains(group.Address), "dispose to leave the group");
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await a.SendAsync(new byte[1]));
    }

    [Fact]
    public async Task MulticastGroup_LoopbackOffAndSourceSpecific()
    {
        var group = new IPEndPoint(NewGroup(), FreePort());
        var quiet = Lo();
        quiet.Loopback = false;
        var a = await MulticastGroup.JoinAsync(group, quiet);
        var b = await MulticastGroup.JoinAsync(group, Lo());
        await a.SendAsync(Encoding.UTF8.GetBytes("self"));
        await b.SendAsync(Encoding.UTF8.GetBytes("marker"));
        Assert.Equal("marker", Encoding.UTF8.GetString((await a.ReceiveAsync(Bounded())).Data));

        var ssm = Lo();
        ssm.Source = IPAddress.Parse("127.0.0.2");
        var g2 = new IPEndPoint(NewGroup(), FreePort());
        var only = await MulticastGroup.JoinAsync(g2, ssm);
        var good = Sender(IPAddress.Parse("127.0.0.2"));
        var bad = Sender(IPAddress.Parse("127.0.0.3"));
        SendTo(bad, "bad", g2.Address, g2.Port);
        SendTo(good, "good", g2.Address, g2.Port);
        var d = await only.ReceiveAsync(Bounded());
        Assert.Equal("good", Encoding.UTF8.GetString(d.Data));
        Assert.Equal(IPAddress.Parse("127.0.0.2"), d.From.Address);
        closesocket(good); closesocket(bad);
        await only.DisposeAsync(); await a.DisposeAsync(); await b.DisposeAsync();
    }

    [Fact]
    public async Task MulticastGroup_ErrorsAreSocketExceptionsWithWinsockCodes()
    {
        var notGroup = new IPEndPoint(IPAddress.Loopback, FreePort());
        var e = await Assert.ThrowsAsync<SocketException>(async () => await MulticastGroup.JoinAsync(notGroup, Lo()));
        Assert.Equal(WSAEADDRNOTAVAIL, (int)e.SocketErrorCode);

        var group = new IPEndPoint(NewGroup(), FreePort());
        var sender = await MulticastGroup.JoinAsync(group, Lo(MulticastDirection.SendOnly));
        Assert.DoesNotContain(group.Address, LoopbackGroups());
        e = await Assert.ThrowsAsync<SocketException>(async () => await sender.ReceiveAsync());
        Assert.Equal(WSAEOPNOTSUPP, (int)e.SocketErrorCode);
        var receiver = await MulticastGroup.JoinAsync(group, Lo(MulticastDirection.ReceiveOnly));
        e = await Assert.ThrowsAsync<SocketException>(async () => await receiver.SendAsync(new byte[1]));
        Assert.Equal(WSAEOPNOTSUPP, (int)e.SocketErrorCode);
        await sender.SendAsync(Encoding.UTF8.GetBytes("s"));
        Assert.Equal("s", Encoding.UTF8.GetString((await receiver.ReceiveAsync(Bounded())).Data));

        using var cts = new CancellationTokenSource();
        var pending = receiver.ReceiveAsync(cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
        await sender.SendAsync(Encoding.UTF8.GetBytes("kept")); // cancelling lost nothing
        Assert.Equal("kept", Encoding.UTF8.GetString((await receiver.ReceiveAsync(Bounded())).Data));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await MulticastGroup.JoinAsync(group, new MulticastGroupOptions { TimeToLive = 300 }));
        await sender.DisposeAsync(); await receiver.DisposeAsync();
    }
}
