using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Winsock2.Tests.Cli;

/// <summary>ws2 root and leaf as separate processes on loopback, their --json output checked line by line.</summary>
public class CliSessionTests
{
    private static string S(JsonElement e, string name) => e.GetProperty(name).GetString()!;
    private static int I(JsonElement e, string name) => e.GetProperty(name).GetInt32();

    [Fact]
    public void RootAndTwoLeaves_ExchangeData_LeaveGracefully()
    {
        using var root = Ws2Process.Start("root", "--listen", "127.0.0.1:0", "--callee-data", "welcome", "--json");
        var address = S(root.Expect("listening"), "address");

        using var leafA = Ws2Process.Start("leaf", "--join", address, "--caller-data", "A", "--json");
        Assert.Equal(address, S(leafA.Expect("joining"), "root"));
        var joinedA = leafA.Expect("joined");
        Assert.Equal(address, S(joinedA, "root"));
        Assert.Equal("welcome", S(joinedA, "calleeData"));
        var localA = S(joinedA, "local");
        var rootSawA = root.Expect("leaf-joined");
        Assert.Equal(localA, S(rootSawA, "leaf"));
        Assert.Equal("A", S(rootSawA, "callerData"));
        Assert.Equal(1, I(rootSawA, "id"));

        using var leafB = Ws2Process.Start("leaf", "--join", address, "--caller-data", "B", "--json");
        leafB.Expect("joining");
        var localB = S(leafB.Expect("joined"), "local");
        var rootSawB = root.Expect("leaf-joined");
        Assert.Equal(localB, S(rootSawB, "leaf"));
        Assert.Equal("B", S(rootSawB, "callerData"));

        root.Send("hello leaves");
        foreach (var leaf in new[] { leafA, leafB })
        {
            var data = leaf.Expect("data");
            Assert.Equal("hello leaves", S(data, "text"));
            Assert.Equal(address, S(data, "from"));
        }

        leafA.Send("from A");
        var up = root.Expect("data");
        Assert.Equal("from A", S(up, "text"));
        Assert.Equal(localA, S(up, "from"));

        leafB.Signal(Ws2Process.SIGTERM); // a graceful leave: the root sees FD_CLOSE with 0
        var closedB = leafB.Expect("closed");
        Assert.Equal(0, I(closedB, "error"));
        Assert.True(closedB.GetProperty("local").GetBoolean());
        Assert.Equal(0, leafB.WaitExit());
        var left = root.Expect("leaf-left");
        Assert.Equal(localB, S(left, "leaf"));
        Assert.Equal(0, I(left, "error"));
        Assert.Equal("NO_ERROR", S(left, "errorName"));

        root.Signal(Ws2Process.SIGINT); // the root ends the session: leaf A sees a graceful end
        Assert.Equal(0, I(root.Expect("closed"), "error"));
        Assert.Equal(0, root.WaitExit());
        var closedA = leafA.Expect("closed");
        Assert.Equal(0, I(closedA, "error"));
        Assert.False(closedA.GetProperty("local").GetBoolean());
        Assert.Equal(0, leafA.WaitExit());
    }

    [Fact]
    public void RootInvitesListeningLeaf_DataBothWays()
    {
        using var leaf = Ws2Process.Start("leaf", "--listen", "127.0.0.1:0", "--caller-data", "glad to", "--json");
        var leafAddress = S(leaf.Expect("listening"), "address");
        using var root = Ws2Process.Start("root", "--listen", "127.0.0.1:0", "--invite", leafAddress, "--callee-data", "join us", "--json");
        var rootAddress = S(root.Expect("listening"), "address");
        var joined = root.Expect("leaf-joined");
        Assert.True(joined.GetProperty("invited").GetBoolean());
        Assert.Equal("glad to", S(joined, "calleeData"));
        Assert.Equal("join us", S(joined, "callerData"));
        var accepted = leaf.Expect("joined");
        Assert.Equal("join us", S(accepted, "invitationData"));
        root.Send("to the invited");
        Assert.Equal("to the invited", S(leaf.Expect("data"), "text"));
        leaf.Send("thanks");
        Assert.Equal("thanks", S(root.Expect("data"), "text"));
        Assert.NotNull(rootAddress);
    }

    [Fact]
    public void RootRate_GrantsLowerTokenRate()
    {
        using var root = Ws2Process.Start("root", "--listen", "127.0.0.1:0", "--rate", "2000", "--json");
        var address = S(root.Expect("listening"), "address");
        using var leaf = Ws2Process.Start("leaf", "--join", address, "--json");
        leaf.Expect("joining");
        var granted = leaf.Expect("joined").GetProperty("granted").GetProperty("sending");
        Assert.Equal(2000, granted.GetProperty("tokenRate").GetInt32());
        Assert.Equal(2000, root.Expect("leaf-joined").GetProperty("granted").GetProperty("sending").GetProperty("tokenRate").GetInt32());
    }

    [Fact]
    public void LeafRefusedByAdmitOnly_Exit1NamesWSAECONNREFUSED()
    {
        using var root = Ws2Process.Start("root", "--listen", "127.0.0.1:0", "--admit-only", "friend", "--json");
        var address = S(root.Expect("listening"), "address");
        var (exit, _, stderr) = Ws2Process.Run("leaf", "--join", address, "--caller-data", "stranger");
        Assert.Equal(1, exit);
        Assert.Equal($"ws2: join refused by {address} (WSAECONNREFUSED 10061)", stderr.Trim());
        var refused = root.Expect("join-refused");
        Assert.Equal("stranger", S(refused, "callerData"));
    }

    [Fact]
    public void Group_TwoMembersOnLoopback_ExchangeData()
    {
        int port;
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0))) port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        var group = $"239.255.{Environment.ProcessId % 250}.{1 + port % 250}:{port}";
        using var one = Ws2Process.Start("group", "--join", group, "--interface", "127.0.0.1", "--ttl", "0", "--json");
        using var two = Ws2Process.Start("group", "--join", group, "--interface", "127.0.0.1", "--ttl", "0", "--no-loopback", "--json");
        Assert.Equal(group, S(one.Expect("joined"), "group"));
        two.Expect("joined");
        two.Send("hello group");
        Assert.Equal("hello group", S(one.Expect("data"), "text"));
        one.Send("hello back");
        Assert.Equal("hello back", S(two.Expect("data"), "text")); // two does not see its own datagram (--no-loopback)
        two.Signal(Ws2Process.SIGTERM);
        Assert.Equal(0, I(two.Expect("closed"), "error"));
        Assert.Equal(0, two.WaitExit());
    }
}
