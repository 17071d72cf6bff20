using System.Diagnostics;
using Winsock2.Bench.Baselines;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Ours;

namespace Winsock2.Bench.Suites;

/// <summary>
/// Suite 3, receive path: our recv / WSARecv (event, completion routine) against Socket.Receive / ReceiveAsync on the
/// same byte stream, one receive call per message, same message size, message count and socket buffer sizes.
/// </summary>
public sealed class RecvSuite : ISuite
{
    private const int SocketBuffer = 256 * 1024;
    private static readonly Metric Cost = new("cost per message", "ns/op", Better.Lower);
    private static readonly Metric ThreadCost = new("receiving thread CPU per message", "ns/op", Better.Lower);

    public string Name => "recv";
    public string Title => "3. Receive path";

    private static long Messages(int size, bool quick) => (size, quick) switch
    {
        (<= 64, false) => 200_000,
        (_, false) => 40_000,
        (<= 64, true) => 2_000,
        _ => 200,
    };

    public IEnumerable<BenchCase> Cases(Options options)
    {
        foreach (int size in new[] { 64, 16 * 1024 })
        {
            long n = Messages(size, options.Quick);
            bool verify = options.Quick;
            string sz = size < 1024 ? $"{size} B" : $"{size / 1024} KiB";
            yield return Case($"{sz} · overlapped WSARecv + event vs ReceiveAsync", "WSARecv + WSAWaitForMultipleEvents",
                "await Socket.ReceiveAsync", () => new OverlappedEventRecv(), () => new SocketReceiveAsync(), size, n, verify);
            yield return Case($"{sz} · WSARecv + completion routine vs ReceiveAsync", "WSARecv + routine in SleepEx",
                "await Socket.ReceiveAsync", () => new CompletionRoutineRecv(), () => new SocketReceiveAsync(), size, n, verify);
            yield return Case($"{sz} · blocking recv vs Socket.Receive", "recv (blocking)", "Socket.Receive",
                () => new BlockingRecv(), () => new SocketReceive(), size, n, verify);
            yield return new BenchCase
            {
                Suite = "recv",
                Name = $"{sz} · rooted leaf recv (one message per call) vs Socket.Receive",
                OursLabel = "recv on a rooted leaf (blocking)",
                BaselineLabel = "Socket.Receive",
                Metrics = [ThreadCost],
                Ours = () => MeasureLeaf(size, n, verify),
                Baseline = () => Measure(() => new SocketReceive(), size, n, verify, threadCpu: true),
            };
        }
    }

    public IEnumerable<string> Notes(Options options)
    {
        yield return "A feeder thread writes the byte stream in 64 KiB sends over TCP loopback; the receiver asks for one message " +
                     "(64 B or 16 KiB) per call until it has them all. Cost = wall time of the receive loop / messages. " +
                     $"Both sides: SO_RCVBUF {SocketBuffer / 1024} KiB on the receiver, SO_SNDBUF {SocketBuffer / 1024} KiB on the feeder, " +
                     $"{Messages(64, options.Quick):N0} × 64 B and {Messages(16384, options.Quick):N0} × 16 KiB per run, a fresh connection per run.";
        yield return "The event loop is the canonical one (post, wait on the event, WSAGetOverlappedResult, WSAResetEvent) — the " +
                     "event is signalled for immediate completions too, as on Windows. The routine loop posts one WSARecv and " +
                     "calls SleepEx(…, TRUE) until the routine has run. ReceiveAsync is awaited from one async method (it " +
                     "completes synchronously when data is there, like the provider's immediate path).";
        yield return "The rooted leaf case measures the multipoint plain path through the API: a root sends each message with " +
                     "send() from a feeder thread and the joined leaf takes one message per blocking recv (the provider keeps " +
                     "message boundaries); the baseline is the same byte count read with Socket.Receive in calls of the same size. Its metric is the receiving " +
                     "thread's own CPU time (CLOCK_THREAD_CPUTIME_ID) per message, so the root's per-message sends, which pace the " +
                     "stream, do not count: it is what one receive call costs, waits for data included.";
        yield return options.Quick
            ? "--quick verifies every received byte against the stream pattern."
            : "Timed runs check the byte count only; --quick verifies every byte.";
    }

    private static BenchCase Case(string name, string ours, string baseline, Func<IReceiveLoop> makeOurs,
        Func<IReceiveLoop> makeBase, int size, long messages, bool verify) => new()
    {
        Suite = "recv",
        Name = name,
        OursLabel = ours,
        BaselineLabel = baseline,
        Metrics = [Cost],
        Ours = () => Measure(makeOurs, size, messages, verify),
        Baseline = () => Measure(makeBase, size, messages, verify),
    };

    private static Sample MeasureLeaf(int size, long messages, bool verify)
    {
        var (failure, cpuNs) = RootedLeafRecv.Run(size, messages, verify);
        return failure is not null ? Sample.Fail(failure) : new Sample().Set(ThreadCost.Name, (double)cpuNs / messages);
    }

    private static Sample Measure(Func<IReceiveLoop> make, int size, long messages, bool verify, bool threadCpu = false)
    {
        using var feed = new ReceiveFeed();
        using var loop = make();
        loop.Connect(feed.EndPoint, SocketBuffer);
        long total = messages * size;
        feed.Start(total, SocketBuffer);
        long t0 = Stopwatch.GetTimestamp(), c0 = Cpu.ThreadNanoseconds();
        var failure = loop.ReceiveAll(total, size, verify);
        long elapsed = Stopwatch.GetTimestamp() - t0, cpu = Cpu.ThreadNanoseconds() - c0;
        if (!feed.Finish()) return Sample.Fail("feeder did not finish");
        failure ??= feed.Failure;
        if (failure is not null) return Sample.Fail(failure);
        return threadCpu ? new Sample().Set(ThreadCost.Name, (double)cpu / messages) : new Sample().Set(Cost.Name, Cpu.Seconds(elapsed) * 1e9 / messages);
    }
}
