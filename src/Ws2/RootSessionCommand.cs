using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Winsock2;
using Winsock2.Multipoint;
using static Winsock2.Ws2_32;

namespace Ws2;

/// <summary>`ws2 root`: a root of a rooted session; stdin lines fan out to every leaf.</summary>
internal static class RootSessionCommand
{
    public static Command Build(Option<bool> json)
    {
        var listen = Endpoints.Option("--listen", "Address to listen on for leaves' joins");
        listen.Required = true;
        var invite = Endpoints.Many("--invite", "A listening leaf to invite (root-initiated join); may be repeated");
        var calleeData = new Option<string?>("--callee-data") { Description = "Callee data answered to joining leaves (and the caller data of invitations)", HelpName = "TEXT" };
        var admitOnly = new Option<string?>("--admit-only") { Description = "Admit only leaves whose caller data is exactly TEXT; refuse the others", HelpName = "TEXT" };
        var rate = new Option<uint?>("--rate") { Description = "Grant each leaf at most this sending TokenRate (bytes/s); its sends are paced", HelpName = "BYTES_PER_S" };
        var command = new Command("root", "Run a root: print leaf joins, data and departures; each stdin line is sent to every leaf")
        {
            listen, invite, calleeData, admitOnly, rate, json,
        };
        command.SetAction((r, _) => RunAsync(r.GetValue(listen)!, r.GetValue(invite) ?? [], r.GetValue(calleeData), r.GetValue(admitOnly),
            r.GetValue(rate), new Report(r.GetValue(json), Console.Out, Console.Error)));
        return command;
    }

    private static LeafAdmission Admit(LeafJoinRequest request, string? calleeData, string? admitOnly, uint? rate, Report report)
    {
        var caller = Session.Text(request.CallerData);
        if (admitOnly is not null && caller != admitOnly)
        {
            report.Event("join-refused", $"refused join from {request.Leaf} (caller data \"{caller}\")",
                ("leaf", request.Leaf.ToString()), ("callerData", caller), ("error", WSAECONNREFUSED), ("errorName", WSAErrorName(WSAECONNREFUSED)));
            return LeafAdmission.Refuse();
        }
        if (rate is { } cap && request.SendingFlowspec is { } f && (f.TokenRate == QOS_NOT_SPECIFIED || f.TokenRate > cap))
        {
            f.TokenRate = cap;
            request.SendingFlowspec = f;
        }
        return LeafAdmission.Accept(Session.Bytes(calleeData));
    }

    private static async Task<int> RunAsync(IPEndPoint address, IPEndPoint[] invitations, string? calleeData, string? admitOnly, uint? rate, Report report)
    {
        using var signals = new Signals();
        var options = new MultipointRootOptions { Admission = r => Admit(r, calleeData, admitOnly, rate, report) };
        MultipointRoot root;
        try
        {
            root = await MultipointRoot.ListenAsync(address, options).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return report.Fail(Failures.Listen(address, e));
        }
        await using (root.ConfigureAwait(false))
        {
            report.Event("listening", $"root listening on {root.LocalEndPoint}", ("address", root.LocalEndPoint.ToString()));
            var stop = signals.Token;
            var joins = ShowJoinsAsync(root, report, stop);
            var departures = ShowDeparturesAsync(root, report, stop);
            var data = ShowDataAsync(root, report, stop);
            foreach (var leaf in invitations) await InviteAsync(root, leaf, calleeData, rate, report, stop).ConfigureAwait(false);
            _ = StdinLines.SendEachAsync(line => root.SendAsync(Session.Bytes(line), stop), report, stop);
            await Session.Until(Task.Delay(Timeout.Infinite, CancellationToken.None), stop).ConfigureAwait(false);
            await root.DisposeAsync().ConfigureAwait(false);
            await Task.WhenAll(joins, departures, data).ConfigureAwait(false);
            report.Event("closed", "session ended", ("error", 0), ("errorName", WSAErrorName(0)));
            return 0;
        }
    }

    private static async Task InviteAsync(MultipointRoot root, IPEndPoint leaf, string? callerData, uint? rate, Report report, CancellationToken stop)
    {
        QOS? qos = null;
        if (rate is { } r)
        {
            qos = Flowspecs.BestEffort();
            qos.SendingFlowspec.TokenRate = r;
        }
        try
        {
            await root.InviteAsync(leaf, Session.Bytes(callerData), qos, stop).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            report.Fail(Failures.Invite(leaf, e));
            report.Event("invite-failed", $"invitation to {leaf} failed ({Failures.Text(e)})",
                ("leaf", leaf.ToString()), ("error", Failures.Code(e)), ("errorName", WSAErrorName(Failures.Code(e))));
        }
        catch (OperationCanceledException) { }
    }

    private static async Task ShowJoinsAsync(MultipointRoot root, Report report, CancellationToken stop)
    {
        try
        {
            await foreach (var leaf in root.LeafJoined.WithCancellation(stop).ConfigureAwait(false))
            {
                var caller = Session.Text(leaf.CallerData);
                report.Event("leaf-joined",
                    $"leaf #{leaf.Id} {leaf.EndPoint} joined{(leaf.Invited ? " (invited)" : "")}: caller data \"{caller}\", {Flowspecs.Text(leaf.Granted)}",
                    ("leaf", leaf.EndPoint.ToString()), ("id", leaf.Id), ("callerData", caller), ("calleeData", Session.Text(leaf.CalleeData)),
                    ("invited", leaf.Invited), ("granted", Flowspecs.Json(leaf.Granted)));
            }
        }
        catch (OperationCanceledException) { }
    }

    private static async Task ShowDeparturesAsync(MultipointRoot root, Report report, CancellationToken stop)
    {
        try
        {
            await foreach (var left in root.LeafLeft.WithCancellation(stop).ConfigureAwait(false))
                report.Event("leaf-left", $"leaf #{left.Leaf.Id} {left.Leaf.EndPoint} left ({WSAErrorText(left.ErrorCode)})",
                    ("leaf", left.Leaf.EndPoint.ToString()), ("id", left.Leaf.Id), ("error", left.ErrorCode), ("errorName", WSAErrorName(left.ErrorCode)));
        }
        catch (OperationCanceledException) { }
    }

    private static async Task ShowDataAsync(MultipointRoot root, Report report, CancellationToken stop)
    {
        try
        {
            await foreach (var m in root.ReceiveAllAsync(stop).ConfigureAwait(false))
            {
                var text = Session.Text(m.Data);
                report.Event("data", $"[{m.Leaf.EndPoint}] {text}", ("from", m.Leaf.EndPoint.ToString()), ("text", text));
            }
        }
        catch (OperationCanceledException) { }
    }
}
