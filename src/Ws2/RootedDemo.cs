using System.Diagnostics;
using System.Net;
using Winsock2;
using Winsock2.Multipoint;
using static Winsock2.Ws2_32;

namespace Ws2;

/// <summary>The demo's rooted session, step by step (Winsock2.Multipoint over Ws2_32, on 127.0.0.1).</summary>
internal sealed class RootedDemo(Report report, CancellationToken limit)
{
    private const uint AskedRate = 1_000_000, GrantedRate = 4000, Bucket = 1000;
    private const int PacedMessages = 6, PacedSize = 1000;

    private async Task<T> Within<T>(ValueTask<T> task) => await task.AsTask().WaitAsync(limit).ConfigureAwait(false);
    private async Task Within(ValueTask task) => await task.AsTask().WaitAsync(limit).ConfigureAwait(false);

    private static async Task<T> NextAsync<T>(IAsyncEnumerator<T> e, CancellationToken limit) =>
        await e.MoveNextAsync().AsTask().WaitAsync(limit).ConfigureAwait(false) ? e.Current : throw new InvalidOperationException("the stream ended");

    public async Task RunAsync()
    {
        report.Step("A root listens",
            "WSAStartup(0x0202); WSASocket(AF_INET, SOCK_SEQPACKET, 0, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_ROOT)\n" +
            "bind(127.0.0.1:0); listen; WSAEventSelect(FD_ACCEPT | FD_READ | FD_WRITE | FD_CONNECT)");
        var root = await Within(MultipointRoot.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0), new MultipointRootOptions { Admission = Admit })).ConfigureAwait(false);
        await using var _ = root.ConfigureAwait(false);
        await using var joined = root.LeafJoined.GetAsyncEnumerator(limit);
        await using var left = root.LeafLeft.GetAsyncEnumerator(limit);
        report.Event("listening", $"  root listening on {root.LocalEndPoint}", ("address", root.LocalEndPoint.ToString()));

        report.Step("Leaf alice joins by herself, with caller data and a flowspec",
            "WSASocket(AF_INET, SOCK_SEQPACKET, 0, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF)\n" +
            $"WSAEventSelect(FD_CONNECT | FD_READ | FD_WRITE | FD_CLOSE | FD_QOS); WSAJoinLeaf(leaf, root, lpCallerData \"alice\", lpCalleeData, lpSQOS {{sending GUARANTEED {AskedRate} B/s}}, NULL, JL_BOTH)\n" +
            "→ returns the leaf's own socket at once; the root gets FD_ACCEPT and calls WSAAccept with its condition function");
        var qos = new QOS { SendingFlowspec = FLOWSPEC.NotSpecified(SERVICETYPE_GUARANTEED), ReceivingFlowspec = FLOWSPEC.NotSpecified(SERVICETYPE_BESTEFFORT) };
        qos.SendingFlowspec.TokenRate = AskedRate;
        qos.SendingFlowspec.TokenBucketSize = Bucket;
        var alice = await Within(MultipointLeaf.JoinAsync(root.LocalEndPoint, new MultipointLeafOptions { ConnectData = Session.Bytes("alice"), Qos = qos })).ConfigureAwait(false);
        await using var a = alice.ConfigureAwait(false);
        ShowJoined(await NextAsync(joined, limit).ConfigureAwait(false));
        ShowLeaf("alice", alice);

        report.Step("Leaf bob joins by himself, with caller data and no flowspec",
            "WSAJoinLeaf(leaf, root, lpCallerData \"bob\", lpCalleeData, NULL, NULL, JL_BOTH) → FD_ACCEPT at the root → WSAAccept → FD_CONNECT at bob");
        var bob = await Within(MultipointLeaf.JoinAsync(root.LocalEndPoint, new MultipointLeafOptions { ConnectData = Session.Bytes("bob") })).ConfigureAwait(false);
        var bobLeft = false;
        try
        {
            ShowJoined(await NextAsync(joined, limit).ConfigureAwait(false));
            ShowLeaf("bob", bob);

            report.Step("The root invites leaf carol, who listens",
                "carol: WSASocket(... C_LEAF | D_LEAF); bind(127.0.0.1:0); listen; WSAEventSelect(FD_ACCEPT)\n" +
                "root: WSAJoinLeaf(root, carol, lpCallerData \"join us, carol\", lpCalleeData, NULL, NULL, JL_BOTH) → a NEW socket for carol at once\n" +
                "carol: FD_ACCEPT → WSAAccept(condition: sees \"join us, carol\", answers \"carol here\", CF_ACCEPT); root: FD_CONNECT (0)");
            var listener = await Within(MultipointInvitationListener.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0),
                new MultipointLeafOptions { ConnectData = Session.Bytes("carol here") })).ConfigureAwait(false);
            MultipointLeaf carol;
            await using (listener.ConfigureAwait(false))
            {
                report.Event("listening", $"  carol listening for invitations on {listener.LocalEndPoint}", ("address", listener.LocalEndPoint.ToString()), ("leaf", "carol"));
                var accepting = listener.AcceptAsync(limit);
                await Within(root.InviteAsync(listener.LocalEndPoint, Session.Bytes("join us, carol"))).ConfigureAwait(false);
                carol = await Within(accepting).ConfigureAwait(false);
            }
            await using var c = carol.ConfigureAwait(false);
            ShowJoined(await NextAsync(joined, limit).ConfigureAwait(false));
            ShowLeaf("carol", carol);

            await FanOutAsync(root, [("alice", alice), ("bob", bob), ("carol", carol)]).ConfigureAwait(false);
            await LeafToRootAsync(root, alice).ConfigureAwait(false);
            await PacingAsync(root, alice, bob).ConfigureAwait(false);

            report.Step("Leaf bob leaves",
                "bob: closesocket(leaf) → the root's socket for bob gets FD_CLOSE with error 0 (a graceful leave); WSAEnumNetworkEvents reports it");
            await bob.DisposeAsync().ConfigureAwait(false);
            bobLeft = true;
            var gone = await NextAsync(left, limit).ConfigureAwait(false);
            report.Event("leaf-left", $"  root: FD_CLOSE for leaf #{gone.Leaf.Id} {gone.Leaf.EndPoint} (bob), error {WSAErrorText(gone.ErrorCode)}",
                ("leaf", gone.Leaf.EndPoint.ToString()), ("id", gone.Leaf.Id), ("error", gone.ErrorCode), ("errorName", WSAErrorName(gone.ErrorCode)));

            report.Step("The root ends the session",
                "root: closesocket(root) → every leaf gets FD_CLOSE (0) after the data already sent; recv then fails with WSAEDISCON");
            await root.SendAsync(Session.Bytes("goodbye")).ConfigureAwait(false);
            await root.DisposeAsync().ConfigureAwait(false);
            foreach (var (name, leaf) in new[] { ("alice", alice), ("carol", carol) })
            {
                await foreach (var m in leaf.ReceiveAllAsync(limit).ConfigureAwait(false)) ShowData(name, leaf.Root, Session.Text(m));
                var reason = await leaf.Closed.WaitAsync(limit).ConfigureAwait(false);
                report.Event("closed", $"  {name}: FD_CLOSE, then recv → WSAEDISCON: session ended ({WSAErrorText(reason.ErrorCode)})",
                    ("leaf", name), ("error", reason.ErrorCode), ("errorName", reason.ErrorName));
            }
        }
        finally
        {
            if (!bobLeft) await bob.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The root's condition function: sees caller data and the flowspec, lowers alice's TokenRate, answers callee data.</summary>
    private LeafAdmission Admit(LeafJoinRequest request)
    {
        var caller = Session.Text(request.CallerData);
        var what = $"  root: condition function sees caller {request.Leaf}, caller data \"{caller}\", ";
        if (request.SendingFlowspec is { } f)
        {
            f.TokenRate = Math.Min(f.TokenRate, GrantedRate);
            request.SendingFlowspec = f;
            what += $"SendingFlowspec TokenRate {AskedRate} B/s → lowers it to {GrantedRate} B/s; ";
        }
        else what += "no flowspec; ";
        report.Event("condition", what + $"writes callee data \"welcome, {caller}\" → CF_ACCEPT",
            ("leaf", request.Leaf.ToString()), ("callerData", caller), ("verdict", "CF_ACCEPT"));
        return LeafAdmission.Accept(Session.Bytes($"welcome, {caller}"));
    }

    private void ShowJoined(MultipointLeafInfo leaf) =>
        report.Event("leaf-joined", $"  root: leaf #{leaf.Id} {leaf.EndPoint} joined{(leaf.Invited ? " (invited)" : "")}, caller data \"{Session.Text(leaf.CallerData)}\", {Flowspecs.Text(leaf.Granted)}",
            ("leaf", leaf.EndPoint.ToString()), ("id", leaf.Id), ("callerData", Session.Text(leaf.CallerData)), ("calleeData", Session.Text(leaf.CalleeData)),
            ("invited", leaf.Invited), ("granted", Flowspecs.Json(leaf.Granted)));

    private void ShowLeaf(string name, MultipointLeaf leaf) =>
        report.Event("joined", $"  {name}: {(leaf.Invited ? "accepted" : "FD_CONNECT (0)")}, callee data \"{Session.Text(leaf.CalleeData)}\"" +
                               (leaf.Granted is { } g ? $", SIO_GET_QOS → granted {Flowspecs.Text(g.SendingFlowspec)}" : ""),
            ("leaf", name), ("root", leaf.Root.ToString()), ("calleeData", Session.Text(leaf.CalleeData)),
            ("invitationData", leaf.Invited ? Session.Text(leaf.InvitationData) : null), ("granted", Flowspecs.Json(leaf.Granted)));

    private void ShowData(string at, IPEndPoint from, string text) =>
        report.Event("data", $"  {at}: WSARecv → \"{text}\" from {from}", ("at", at), ("from", from.ToString()), ("text", text));

    private async Task FanOutAsync(MultipointRoot root, (string Name, MultipointLeaf Leaf)[] leaves)
    {
        report.Step("The root sends; every leaf receives (fan-out)",
            "root: send(root, \"hello, everyone\") → the provider frames it once and writes the same bytes to all 3 leaves\n" +
            "each leaf: FD_READ → WSARecv → one whole message (boundaries kept)");
        await Within(root.SendAsync(Session.Bytes("hello, everyone"))).ConfigureAwait(false);
        foreach (var (name, leaf) in leaves) ShowData(name, leaf.Root, Session.Text(await Within(leaf.ReceiveAsync(limit)).ConfigureAwait(false)));
    }

    private async Task LeafToRootAsync(MultipointRoot root, MultipointLeaf alice)
    {
        report.Step("A leaf sends; only the root receives, and knows who sent",
            "alice: send(leaf, \"hi root, alice here\"); root: FD_READ → WSARecvFrom → lpFrom = alice's address");
        await Within(alice.SendAsync(Session.Bytes("hi root, alice here"))).ConfigureAwait(false);
        var m = await Within(root.ReceiveAsync(limit)).ConfigureAwait(false);
        report.Event("data", $"  root: WSARecvFrom → \"{Session.Text(m.Data)}\" from leaf #{m.Leaf.Id} {m.Leaf.EndPoint} (caller data \"{Session.Text(m.Leaf.CallerData)}\")",
            ("at", "root"), ("from", m.Leaf.EndPoint.ToString()), ("text", Session.Text(m.Data)));
    }

    private async Task PacingAsync(MultipointRoot root, MultipointLeaf alice, MultipointLeaf bob)
    {
        report.Step($"The granted flowspec is enforced: alice's sends are paced at {GrantedRate} B/s, bob's are not",
            $"alice and bob: {PacedMessages} x send(leaf, {PacedSize} bytes); alice's token bucket ({GrantedRate} B/s, bucket {Bucket} bytes) holds her sends back\n" +
            "(a nonblocking send gets WSAEWOULDBLOCK and FD_WRITE comes when tokens are there)");
        foreach (var (name, leaf) in new[] { ("alice", alice), ("bob", bob) })
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < PacedMessages; i++) await Within(leaf.SendAsync(new byte[PacedSize])).ConfigureAwait(false);
            long ms = clock.ElapsedMilliseconds;
            for (int i = 0; i < PacedMessages; i++) await Within(root.ReceiveAsync(limit)).ConfigureAwait(false);
            var rate = leaf.Granted?.SendingFlowspec.TokenRate;
            report.Event("paced", $"  {name}: {PacedMessages * PacedSize} bytes sent in {ms} ms" +
                                  (rate is { } r && r != QOS_NOT_SPECIFIED ? $" (granted {r} B/s)" : " (no flowspec: not paced)") + "; the root received all of them",
                ("leaf", name), ("messages", PacedMessages), ("bytes", PacedMessages * PacedSize), ("ms", ms),
                ("tokenRate", rate is { } t && t != QOS_NOT_SPECIFIED ? t : null));
        }
    }
}
