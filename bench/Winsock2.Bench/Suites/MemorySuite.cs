using System.Diagnostics;
using Winsock2.Bench.Baselines;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Ours;

namespace Winsock2.Bench.Suites;

/// <summary>Suite 5, memory: bytes the root process holds per idle peer, peers in a child process.</summary>
public sealed class MemorySuite : ISuite
{
    private static readonly Metric Heap = new("managed heap per peer", "B", Better.Lower);
    private static readonly Metric WorkingSet = new("working set per peer", "B", Better.Lower);

    public string Name => "memory";
    public string Title => "5. Memory";

    private static int Peers(bool quick) => quick ? 100 : 1_000;

    /// <summary>Our side: the rooted multipoint provider.</summary>
    private static Func<IMemorySubject>? OursFactory => () => new RootedIdleLeaves();

    public IEnumerable<BenchCase> Cases(Options options)
    {
        string? unavailable = Availability.RootedProvider() ?? (OursFactory is null ? "the rooted provider answers, but the bench side is not written yet." : null);
        int peers = Peers(options.Quick);
        yield return new BenchCase
        {
            Suite = Name,
            Name = $"{peers:N0} idle peers",
            OursLabel = "rooted provider root with joined leaves",
            BaselineLabel = ".NET server: accepted Socket + pending zero-byte ReceiveAsync per peer",
            Metrics = [Heap, WorkingSet],
            Ours = unavailable is null && OursFactory is { } f ? () => Measure(f, peers) : null,
            OursUnavailable = unavailable,
            Baseline = () => Measure(() => new SocketIdlePeers(), peers),
        };
    }

    public IEnumerable<string> Notes(Options options)
    {
        yield return $"The peers ({Peers(options.Quick):N0}) are created by a child process (the bench run with --child), so only the root's " +
                     "process is measured: GC.GetTotalMemory(forceFullCollection: true) and Process.WorkingSet64 after the root " +
                     "holds them all, minus before they connected, divided by the peer count. Kernel socket buffers are not " +
                     "in either figure; the working set is the noisier of the two.";
        yield return "The queue bound held under a stalled leaf is a property of the rooted provider only (a raw socket has no " +
                     "such bound); it is measured once the provider is available.";
    }

    private static Sample Measure(Func<IMemorySubject> make, int peers)
    {
        using var subject = make();
        var endPoint = subject.Open();
        var (heap0, ws0) = Snapshot();
        using var child = ChildProcess.Start(subject.ChildRole, endPoint, peers);
        if (!subject.WaitJoined(peers, TimeSpan.FromSeconds(30))) return Sample.Fail($"the root did not hold {peers} peers within 30 s");
        if (!child.WaitReady(TimeSpan.FromSeconds(30))) return Sample.Fail("the peer process did not report ready");
        var (heap1, ws1) = Snapshot();
        return new Sample().Set(Heap.Name, (double)(heap1 - heap0) / peers).Set(WorkingSet.Name, (double)(ws1 - ws0) / peers);
    }

    private static (long Heap, long WorkingSet) Snapshot()
    {
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        using var p = Process.GetCurrentProcess();
        return (heap, p.WorkingSet64);
    }
}
