using System.Diagnostics;
using System.Net;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Suites;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>
/// The rooted soak: a root here streams <see cref="FanOutFrame"/> messages at full speed to leaves that run in a child
/// process (role "rooted-soak-leaves"), each leaf a thread doing blocking recv and verifying every message. The root
/// ends the session with shutdown(SD_SEND); the child then reports what its leaves received. A leaf declared dead
/// (its recv fails with WSAENETRESET, or the root's send fails) or any loss, duplicate or reorder fails the run.
/// </summary>
public sealed class RootedSoak : IDisposable
{
    public const string ChildRole = "rooted-soak-leaves";
    private readonly List<SOCKET> _handles = [];
    private SOCKET _root = INVALID_SOCKET;
    private ChildProcess? _child;

    /// <summary>Starts the root and the child's <paramref name="leaves"/> joined leaves.</summary>
    public void Start(int leaves, int size)
    {
        _root = Rooted.Root();
        Rooted.Ok(setsockopt(_root, SOL_SOCKET, SO_SNDTIMEO, 30_000), "setsockopt(SO_SNDTIMEO)");
        var addr = Rooted.ListenOnLoopback(_root, leaves);
        var acceptor = new Thread(() =>
        {
            for (int i = 0; i < leaves; i++)
            {
                var h = accept(_root);
                if (!h.IsValid) return;
                lock (_handles) _handles.Add(h);
            }
        }) { IsBackground = true, Name = "soak-accept" };
        acceptor.Start();
        _child = ChildProcess.Start(ChildRole, SockAddr.ToEndPoint(addr), leaves, size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!_child.WaitReady(TimeSpan.FromSeconds(60))) throw new InvalidOperationException("the leaf process did not report ready");
        if (!acceptor.Join(30_000)) throw new InvalidOperationException("the root did not accept every leaf");
    }

    /// <summary>Sends until <paramref name="max"/> messages or <paramref name="budget"/>, ends the session, and checks the child's report.</summary>
    public Sample Run(long max, TimeSpan budget, int size, int leaves, string metric)
    {
        int frame = FanOutFrame.Length(size);
        var buf = new byte[frame];
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (sent < max && ((sent & 1023) != 0 || clock.Elapsed < budget))
        {
            FanOutFrame.Encode(buf, (ulong)sent, size);
            if (send(_root, buf, frame, 0) != frame) return Sample.Fail($"send failed with {WSAGetLastError()} after {sent} messages");
            sent++;
        }
        Rooted.Ok(shutdown(_root, SD_SEND), "shutdown(root)");
        var report = _child!.ReadLine(TimeSpan.FromSeconds(120));
        double seconds = clock.Elapsed.TotalSeconds;
        if (report is null) return Sample.Fail("the leaf process did not report");
        var parts = report.Split(' ', 3);
        if (parts.Length < 3 || parts[0] != "result") return Sample.Fail($"leaf process: {report}");
        if (parts[2] != "ok") return Sample.Fail($"leaf process: {parts[2]}");
        long received = long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        if (received != sent * leaves) return Sample.Fail($"{received} messages received of {sent * leaves} sent");
        return new Sample().Set(metric, sent / seconds);
    }

    public void Dispose()
    {
        _child?.Dispose();
        lock (_handles) Rooted.Close(_handles);
        if (_root.IsValid) closesocket(_root);
    }

    /// <summary>
    /// The child's side: joins <paramref name="count"/> leaves, says ready, verifies everything each receives until the
    /// session ends (WSAEDISCON), then prints "result TOTAL ok" or "result TOTAL first-error".
    /// </summary>
    public static void RunLeaves(IPEndPoint target, int count, int size, TextWriter output)
    {
        var addr = SockAddr.From(target);
        var leaves = new List<SOCKET>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var leaf = Rooted.Leaf();
                leaves.Add(leaf);
                Rooted.Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVTIMEO, 60_000), "setsockopt(SO_RCVTIMEO)");
                Rooted.Valid(WSAJoinLeaf(leaf, addr, addr.Length, null, null, null, null, JL_BOTH), "WSAJoinLeaf");
            }
            var verifiers = leaves.Select(_ => new FrameVerifier(size)).ToArray();
            var errors = new string?[count];
            var threads = leaves.Select((leaf, i) => new Thread(() =>
            {
                var buf = new byte[FanOutFrame.Length(size) + 1];
                while (true)
                {
                    int n = recv(leaf, buf, buf.Length, 0);
                    if (n == SOCKET_ERROR)
                    {
                        int e = WSAGetLastError();
                        if (e != WSAEDISCON) errors[i] = $"leaf {i}: recv failed with {e} after {verifiers[i].Received} messages";
                        break;
                    }
                    verifiers[i].Feed(buf.AsSpan(0, n));
                    if (verifiers[i].Error is not null) break;
                }
                verifiers[i].End();
            }) { IsBackground = true, Name = $"soak-leaf-{i}" }).ToList();
            output.WriteLine("ready");
            output.Flush();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
            string? error = errors.FirstOrDefault(e => e is not null) ?? verifiers.Select(v => v.Error).FirstOrDefault(e => e is not null);
            output.WriteLine($"result {verifiers.Sum(v => v.Received)} {error ?? "ok"}");
            output.Flush();
        }
        finally { Rooted.Close(leaves); }
    }
}
