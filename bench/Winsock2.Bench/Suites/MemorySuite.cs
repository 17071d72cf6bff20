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
    private static int LoadedPeers(bool quick) => quick ? 10 : 100;
    private static readonly Metric PeerSide = new("peer process per peer", "B", Better.Lower);
    private const long FloodCap = 1L << 30;

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
        int loaded = LoadedPeers(options.Quick);
        yield return new BenchCase
        {
            Suite = Name,
            Name = $"{loaded:N0} peers under load, never reading",
            OursLabel = "rooted provider root streaming to joined leaves whose application never reads",
            BaselineLabel = ".NET server writing each accepted Socket until the kernel refuses more",
            Metrics = [Heap, WorkingSet, PeerSide],
            Ours = unavailable is null && OursFactory is { } g ? () => MeasureLoaded(g, loaded) : null,
            OursUnavailable = unavailable,
            Baseline = () => MeasureLoaded(() => new SocketIdlePeers(), loaded),
        };
    }

    public IEnumerable<string> Notes(Options options)
    {
        yield return $"The peers ({Peers(options.Quick):N0}) are created by a child process (the bench run with --child), so only the root's " +
                     "process is measured: GC.GetTotalMemory(forceFullCollection: true) and Process.WorkingSet64 after the root " +
                     "holds them all, minus before they connected, divided by the peer count. Kernel socket buffers are not " +
                     "in either figure; the working set is the noisier of the two.";
        yield return $"Under load ({LoadedPeers(options.Quick):N0} peers): the root sends 16 KiB messages (nonblocking) to peers whose " +
                     "application never reads until it is made to wait and nothing drains for 1 s (at most 1 GiB). The root's figures " +
                     "are its growth per peer; \"peer process per peer\" is the peers' process growth (heap + working set) per peer, " +
                     "the leaf's side of the bound: SO_RCVBUF (1 MiB by default) of unread messages plus one read and the frame being " +
                     "received. The root holds its queue limit (MP_LEAF_QUEUE_LIMIT, 4 MiB by default) of the shared stream once, " +
                     "behind the slowest leaf; the kernel's socket buffers are in neither figure.";
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

    /// <summary>The root's growth per peer while it offers up to 1 GiB to peers that never read, and the peers' own.</summary>
    private static Sample MeasureLoaded(Func<IMemorySubject> make, int peers)
    {
        using var subject = make();
        var endPoint = subject.Open();
        var (heap0, ws0) = Snapshot();
        using var child = ChildProcess.Start(subject.ChildRole, endPoint, peers);
        if (!subject.WaitJoined(peers, TimeSpan.FromSeconds(30))) return Sample.Fail($"the root did not hold {peers} peers within 30 s");
        if (!child.WaitReady(TimeSpan.FromSeconds(30))) return Sample.Fail("the peer process did not report ready");
        long accepted = subject.Flood(FloodCap);
        if (accepted >= FloodCap) return Sample.Fail("the root was never made to wait: 1 GiB accepted for peers that never read");
        var (heap1, ws1) = Snapshot();
        if (child.Measure(TimeSpan.FromSeconds(30)) is not { } peer) return Sample.Fail("the peer process did not report its memory");
        return new Sample().Set(Heap.Name, (double)(heap1 - heap0) / peers).Set(WorkingSet.Name, (double)(ws1 - ws0) / peers)
            .Set(PeerSide.Name, peer.Heap + peer.WorkingSet);
    }

    private static (long Heap, long WorkingSet) Snapshot()
    {
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        using var p = Process.GetCurrentProcess();
        return (heap, p.WorkingSet64);
    }
}
