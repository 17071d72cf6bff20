using System.Diagnostics;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Suites;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench.Ours;

/// <summary>
/// The healthy leaves' rate under MP_POLICY_EVICT, with or without one more leaf behind a slow link
/// (<see cref="ThrottledLink"/>). The root sends <see cref="FanOutFrame"/> messages, keeping at most a window of
/// messages ahead of the slowest healthy leaf (so only the slow link can pass the queue limit); healthy leaves are
/// threads here verifying every message. With the slow leaf, the run also checks that it was evicted.
/// </summary>
public static class RootedSlowLink
{
    private const int Window = 2_048;

    public static Sample Run(int healthy, long messages, int size, bool withSlowLeaf, string metric)
    {
        var sockets = new List<SOCKET>();
        ThrottledLink? link = null;
        try
        {
            var root = Rooted.Root();
            sockets.Add(root);
            Rooted.Ok(setsockopt(root, SOL_MULTIPOINT, MP_SLOW_LEAF_POLICY, MP_POLICY_EVICT), "setsockopt(MP_SLOW_LEAF_POLICY)");
            Rooted.Ok(setsockopt(root, SOL_MULTIPOINT, MP_LEAF_QUEUE_LIMIT, 1 << 20), "setsockopt(MP_LEAF_QUEUE_LIMIT)");
            var addr = Rooted.ListenOnLoopback(root, 64);
            var leaves = new List<SOCKET>();
            SOCKET Join(byte[] to)
            {
                var leaf = Rooted.Leaf();
                sockets.Add(leaf);
                Rooted.Ok(setsockopt(leaf, SOL_SOCKET, SO_RCVTIMEO, 30_000), "setsockopt(SO_RCVTIMEO)");
                var acceptor = new Thread(() => sockets.Add(Rooted.Valid(accept(root), "accept"))) { IsBackground = true };
                acceptor.Start();
                Rooted.Valid(WSAJoinLeaf(leaf, to, to.Length, null, null, null, null, JL_BOTH), "WSAJoinLeaf");
                if (!acceptor.Join(10_000)) throw new InvalidOperationException("accept did not return");
                return leaf;
            }
            for (int i = 0; i < healthy; i++) leaves.Add(Join(addr));
            SOCKET slow = INVALID_SOCKET;
            if (withSlowLeaf)
            {
                link = new ThrottledLink(SockAddr.ToEndPoint(addr), 64 * 1024);
                slow = Join(SockAddr.From(link.EndPoint));
            }
            var slowHandle = withSlowLeaf ? sockets[^1] : INVALID_SOCKET;
            var counts = new long[healthy];
            var errors = new string?[healthy];
            var readers = leaves.Select((leaf, i) => new Thread(() =>
            {
                var v = new FrameVerifier(size);
                var buf = new byte[FanOutFrame.Length(size) + 1];
                while (v.Received < messages && v.Error is null)
                {
                    int n = recv(leaf, buf, buf.Length, 0);
                    if (n == SOCKET_ERROR) { errors[i] = $"healthy leaf {i}: recv failed with {WSAGetLastError()} after {v.Received}"; return; }
                    v.Feed(buf.AsSpan(0, n));
                    Volatile.Write(ref counts[i], v.Received);
                }
                errors[i] = v.Error;
            }) { IsBackground = true }).ToList();
            var slowReader = new Thread(() =>
            {
                var buf = new byte[FanOutFrame.Length(size) + 1];
                while (recv(slow, buf, buf.Length, 0) > 0) { }
            }) { IsBackground = true };
            foreach (var t in readers) t.Start();
            if (withSlowLeaf) slowReader.Start();

            int frame = FanOutFrame.Length(size);
            var msg = new byte[frame];
            var clock = Stopwatch.StartNew();
            for (long s = 0; s < messages; s++)
            {
                while (s - Slowest(counts) > Window)
                {
                    if (clock.Elapsed > TimeSpan.FromMinutes(2)) return Sample.Fail("the healthy leaves stopped receiving");
                    if (errors.FirstOrDefault(e => e is not null) is { } e) return Sample.Fail(e);
                    Thread.Yield();
                }
                FanOutFrame.Encode(msg, (ulong)s, size);
                if (send(root, msg, frame, 0) != frame) return Sample.Fail($"send failed with {WSAGetLastError()}");
            }
            foreach (var t in readers)
                if (!t.Join(TimeSpan.FromSeconds(60))) return Sample.Fail("a healthy leaf did not receive every message");
            double seconds = clock.Elapsed.TotalSeconds;
            if (errors.FirstOrDefault(e => e is not null) is { } err) return Sample.Fail(err);
            if (withSlowLeaf)
            {
                var ev = WSACreateEvent();
                try
                {
                    Rooted.Ok(WSAEventSelect(slowHandle, ev, FD_CLOSE), "WSAEventSelect");
                    if (WSAWaitForMultipleEvents(1, [ev], false, 30_000, false) == WSA_WAIT_TIMEOUT)
                        return Sample.Fail("the leaf behind the slow link was not evicted");
                }
                finally { WSACloseEvent(ev); }
            }
            return new Sample().Set(metric, messages / seconds);
        }
        finally
        {
            link?.Dispose();
            Rooted.Close(sockets);
        }
    }

    private static long Slowest(long[] counts)
    {
        long min = long.MaxValue;
        for (int i = 0; i < counts.Length; i++) min = Math.Min(min, Volatile.Read(ref counts[i]));
        return min;
    }
}
