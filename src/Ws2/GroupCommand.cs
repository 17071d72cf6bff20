using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Winsock2.Multipoint;
using static Winsock2.Ws2_32;

namespace Ws2;

/// <summary>`ws2 group`: a member of an IP multicast group; prints what the group receives, stdin lines go to the group.</summary>
internal static class GroupCommand
{
    public static Command Build(Option<bool> json)
    {
        var join = Endpoints.Option("--join", "The group to join: a multicast address and port, e.g. 239.255.0.1:5150");
        join.Required = true;
        var itf = Endpoints.Address("--interface", "Local address of the interface to join on and send through (IP_MULTICAST_IF)");
        var source = Endpoints.Address("--source", "Receive only from this source (source-specific multicast)");
        var ttl = new Option<int>("--ttl") { Description = "TTL of sends: 0 = this host, 1 = this subnet (default 1)", HelpName = "N", DefaultValueFactory = _ => 1 };
        var noLoopback = new Option<bool>("--no-loopback") { Description = "Do not receive this member's own sends" };
        var command = new Command("group", "Join an IP multicast group: print what it receives; each stdin line is sent to the group")
        {
            join, itf, source, ttl, noLoopback, json,
        };
        command.Validators.Add(r =>
        {
            if (r.GetResult(ttl) is { } t && t.GetValueOrDefault<int>() is < 0 or > 255) r.AddError("--ttl must be 0..255");
        });
        command.SetAction((r, _) => RunAsync(r.GetValue(join)!, new MulticastGroupOptions
        {
            InterfaceAddress = r.GetValue(itf),
            Source = r.GetValue(source),
            TimeToLive = r.GetValue(ttl),
            Loopback = !r.GetValue(noLoopback),
        }, new Report(r.GetValue(json), Console.Out, Console.Error)));
        return command;
    }

    private static async Task<int> RunAsync(IPEndPoint group, MulticastGroupOptions options, Report report)
    {
        using var signals = new Signals();
        var stop = signals.Token;
        MulticastGroup member;
        try
        {
            member = await MulticastGroup.JoinAsync(group, options, stop).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return report.Fail($"cannot join group {group} ({Failures.Text(e)})");
        }
        catch (ArgumentException e)
        {
            return report.Fail(e.Message, 2);
        }
        await using (member.ConfigureAwait(false))
        {
            report.Event("joined", $"joined group {group} (local {member.LocalEndPoint})", ("group", group.ToString()), ("local", member.LocalEndPoint.ToString()));
            _ = StdinLines.SendEachAsync(line => member.SendAsync(Session.Bytes(line), stop), report, stop);
            try
            {
                await foreach (var d in member.ReceiveAllAsync(stop).ConfigureAwait(false))
                {
                    var text = Session.Text(d.Data);
                    report.Event("data", $"[{d.From}] {text}", ("from", d.From.ToString()), ("text", text));
                }
            }
            catch (OperationCanceledException) { }
            catch (SocketException e)
            {
                report.Event("closed", $"stopped receiving ({Failures.Text(e)})", ("error", Failures.Code(e)), ("errorName", WSAErrorName(Failures.Code(e))));
                return report.Fail($"group {group}: {Failures.Text(e)}");
            }
        }
        report.Event("closed", "left the group", ("error", 0), ("errorName", WSAErrorName(0)));
        return 0;
    }
}
