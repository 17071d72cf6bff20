using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Winsock2.Multipoint;
using static Winsock2.Ws2_32;

namespace Ws2;

/// <summary>`ws2 leaf`: a leaf that joins a root or waits for its invitation; prints what the root sends, stdin lines go to the root.</summary>
internal static class LeafSessionCommand
{
    public static Command Build(Option<bool> json)
    {
        var join = Endpoints.Option("--join", "Join the root at this address (leaf-initiated)");
        var listen = Endpoints.Option("--listen", "Wait on this address for a root's invitation (root-initiated)");
        var callerData = new Option<string?>("--caller-data") { Description = "Caller data sent with the join (with --listen: the callee data answered to the invitation)", HelpName = "TEXT" };
        var senderOnly = new Option<bool>("--sender-only") { Description = "Join with JL_SENDER_ONLY: send to the root, receive nothing" };
        var receiverOnly = new Option<bool>("--receiver-only") { Description = "Join with JL_RECEIVER_ONLY: receive the root's fan-out, send nothing" };
        var command = new Command("leaf", "Run a leaf: print the callee data and everything the root sends; each stdin line is sent to the root")
        {
            join, listen, callerData, senderOnly, receiverOnly, json,
        };
        command.Validators.Add(r =>
        {
            bool hasJoin = r.GetResult(join) is not null, hasListen = r.GetResult(listen) is not null;
            if (hasJoin == hasListen) r.AddError("give exactly one of --join HOST:PORT and --listen HOST:PORT");
            if (r.GetResult(senderOnly) is not null && r.GetResult(receiverOnly) is not null) r.AddError("--sender-only and --receiver-only exclude each other");
        });
        command.SetAction((r, _) =>
        {
            var options = new MultipointLeafOptions
            {
                ConnectData = Session.Bytes(r.GetValue(callerData)),
                Direction = r.GetValue(senderOnly) ? MultipointDirection.SendOnly : r.GetValue(receiverOnly) ? MultipointDirection.ReceiveOnly : MultipointDirection.Both,
                Qos = Flowspecs.BestEffort(),
            };
            return RunAsync(r.GetValue(join), r.GetValue(listen), options, new Report(r.GetValue(json), Console.Out, Console.Error));
        });
        return command;
    }

    private static async Task<int> RunAsync(IPEndPoint? rootAddress, IPEndPoint? listenAddress, MultipointLeafOptions options, Report report)
    {
        using var signals = new Signals();
        var stop = signals.Token;
        MultipointLeaf? leaf;
        try
        {
            leaf = rootAddress is not null
                ? await JoinAsync(rootAddress, options, report, stop).ConfigureAwait(false)
                : await AwaitInvitationAsync(listenAddress!, options, report, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return 0; // interrupted before joining
        }
        catch (SocketException e)
        {
            return report.Fail(rootAddress is not null ? Failures.Join(rootAddress, e) : Failures.Listen(listenAddress!, e));
        }
        await using (leaf.ConfigureAwait(false))
        {
            report.Event("joined", $"joined root {leaf.Root}: callee data \"{Session.Text(leaf.CalleeData)}\", {Flowspecs.Text(leaf.Granted)}",
                ("root", leaf.Root.ToString()), ("local", leaf.LocalEndPoint?.ToString()), ("calleeData", Session.Text(leaf.CalleeData)),
                ("invitationData", leaf.Invited ? Session.Text(leaf.InvitationData) : null), ("granted", Flowspecs.Json(leaf.Granted)));
            var data = leaf.Direction == MultipointDirection.SendOnly ? Task.CompletedTask : ShowDataAsync(leaf, report);
            if (leaf.Direction != MultipointDirection.ReceiveOnly)
                _ = StdinLines.SendEachAsync(line => leaf.SendAsync(Session.Bytes(line), stop), report, stop);
            bool ended = await Session.Until(leaf.Closed, stop).ConfigureAwait(false);
            if (!ended)
            {
                await leaf.DisposeAsync().ConfigureAwait(false);
            }
            await data.ConfigureAwait(false);
            var reason = await leaf.Closed.ConfigureAwait(false);
            report.Event("closed", reason.Local ? "left the session" : $"session ended by the root ({WSAErrorText(reason.ErrorCode)})",
                ("error", reason.ErrorCode), ("errorName", reason.ErrorName), ("local", reason.Local));
            if (reason.ErrorCode == 0) return 0;
            return report.Fail($"session with {leaf.Root} broke ({WSAErrorText(reason.ErrorCode)})");
        }
    }

    private static async Task<MultipointLeaf> JoinAsync(IPEndPoint root, MultipointLeafOptions options, Report report, CancellationToken stop)
    {
        report.Event("joining", $"joining root {root}", ("root", root.ToString()));
        return await MultipointLeaf.JoinAsync(root, options, stop).ConfigureAwait(false);
    }

    private static async Task<MultipointLeaf> AwaitInvitationAsync(IPEndPoint address, MultipointLeafOptions options, Report report, CancellationToken stop)
    {
        var listener = await MultipointInvitationListener.ListenAsync(address, options, stop).ConfigureAwait(false);
        await using (listener.ConfigureAwait(false))
        {
            report.Event("listening", $"leaf listening for invitations on {listener.LocalEndPoint}", ("address", listener.LocalEndPoint.ToString()));
            return await listener.AcceptAsync(stop).ConfigureAwait(false);
        }
    }

    private static async Task ShowDataAsync(MultipointLeaf leaf, Report report)
    {
        try
        {
            await foreach (var m in leaf.ReceiveAllAsync().ConfigureAwait(false))
            {
                var text = Session.Text(m);
                report.Event("data", $"[{leaf.Root}] {text}", ("from", leaf.Root.ToString()), ("text", text));
            }
        }
        catch (SocketException) { } // the session broke: "closed" says how
        catch (ObjectDisposedException) { }
    }
}
