using System.Net;
using Winsock2;
using Winsock2.Multipoint;
using static Winsock2.Ws2_32;

namespace Ws2;

/// <summary>The demo's multicast part: two members of a group on 127.0.0.1 (TTL 0: nothing leaves the host).</summary>
internal sealed class MulticastDemo(Report report, CancellationToken limit)
{
    private static readonly IPAddress Group = IPAddress.Parse("239.255.77.77");

    public async Task RunAsync()
    {
        var group = new IPEndPoint(Group, FreeUdpPort());
        var options = new MulticastGroupOptions { InterfaceAddress = IPAddress.Loopback, TimeToLive = 0 };
        report.Step($"Two members join the multicast group {group} on 127.0.0.1",
            "WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF)\n" +
            "setsockopt(IP_MULTICAST_IF, 127.0.0.1); WSAIoctl(SIO_MULTICAST_SCOPE, 0); WSAJoinLeaf(s, group, NULL, NULL, NULL, NULL, JL_BOTH) → IP_ADD_MEMBERSHIP; FD_CONNECT (0)");
        var one = await MulticastGroup.JoinAsync(group, options, limit).ConfigureAwait(false);
        await using var _ = one.ConfigureAwait(false);
        var two = await MulticastGroup.JoinAsync(group, options, limit).ConfigureAwait(false);
        await using var __ = two.ConfigureAwait(false);
        foreach (var (name, m) in new[] { ("member 1", one), ("member 2", two) })
            report.Event("joined", $"  {name} joined {group} (local {m.LocalEndPoint})", ("member", name), ("group", group.ToString()), ("local", m.LocalEndPoint.ToString()));

        report.Step("Member 1 sends to the group; both members receive it",
            "member 1: send(s, \"hello, group\") → to the group (the join made it the default destination)\n" +
            "both: WSARecvFrom → the datagram and its sender (member 1 receives its own: SIO_MULTIPOINT_LOOPBACK is on)");
        await one.SendAsync(Session.Bytes("hello, group"), limit).ConfigureAwait(false);
        foreach (var (name, m) in new[] { ("member 1", one), ("member 2", two) })
        {
            var d = await m.ReceiveAsync(limit).AsTask().WaitAsync(limit).ConfigureAwait(false);
            report.Event("data", $"  {name}: WSARecvFrom → \"{Session.Text(d.Data)}\" from {d.From}", ("at", name), ("from", d.From.ToString()), ("text", Session.Text(d.Data)));
        }

        report.Step("Both members leave", "closesocket(s) on each → the kernel drops the memberships (IP_DROP_MEMBERSHIP)");
    }

    /// <summary>A UDP port free right now (bind to port 0 and read it back), for the group.</summary>
    private static int FreeUdpPort()
    {
        WSAStartup(0x0202, out _);
        var s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        try
        {
            var any = SockAddr.From(new IPEndPoint(IPAddress.Any, 0));
            bind(s, any, any.Length);
            var name = new byte[SockAddr.SizeIn];
            int len = name.Length;
            return getsockname(s, name, ref len) == 0 ? SockAddr.ToEndPoint(name).Port : 5151;
        }
        finally
        {
            closesocket(s);
            WSACleanup();
        }
    }
}
