using System.Diagnostics;
using Winsock2.Bench.Baselines;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Ours;

namespace Winsock2.Bench.Suites;

/// <summary>
/// Suite 1, fan-out: root → N leaves (N = 1, 4, 16) with 64 B, 1 KiB and 64 KiB messages, four sides per cell —
/// ours through Registered I/O, ours through recv, NetMQ PUB/SUB, hand-batched raw sockets (the reference) — with
/// the leaves on threads of the measuring process, and again with each leaf in its own process. Per-leaf messages/s,
/// aggregate MB/s, CPU seconds per GB delivered and loss; every message is verified by sequence number.
/// </summary>
public sealed class FanOutSuite : ISuite
{
    public static readonly Metric PerLeaf = new("per-leaf rate", "msg/s", Better.Higher);
    public static readonly Metric Aggregate = new("aggregate", "MB/s", Better.Higher);
    public static readonly Metric CpuPerGB = new("CPU per GB", "CPU s/GB", Better.Lower);
    public static readonly Metric Loss = new("loss", "%", Better.Lower);
    private static readonly int[] Sizes = [64, 1024, 64 * 1024];
    private static readonly int[] LeafCounts = [1, 4, 16];

    /// <summary>Side names in the tables, goals and chart.</summary>
    public const string RioName = "RIO", RecvName = "recv", NetMqName = "NetMQ", RawName = "raw";

    public string Name => "fanout";
    public string Title => "1. Fan-out";

    private static TimeSpan Budget(bool quick) => quick ? TimeSpan.FromMilliseconds(50) : TimeSpan.FromSeconds(1);
    private static long MaxMessages(bool quick) => quick ? 2_000 : 50_000_000;

    /// <summary>--quick runs leaf processes for 1 and 4 leaves only (a process per leaf costs a runtime start each).</summary>
    private static int[] ChildLeafCounts(bool quick) => quick ? [1, 4] : LeafCounts;

    public IEnumerable<BenchCase> Cases(Options options)
    {
        string? rooted = Availability.RootedProvider();
        string? rio = rooted ?? Availability.RegisteredIo();
        foreach (bool children in new[] { false, true })
        {
            foreach (int size in Sizes)
            {
                foreach (int leaves in children ? ChildLeafCounts(options.Quick) : LeafCounts)
                {
                    Func<Sample> Run(IFanOutSide side) => () => Measure(side, children, leaves, size, options.Quick);
                    yield return new BenchCase
                    {
                        Suite = Name,
                        Name = $"{Format(size)} × {leaves} {(leaves == 1 ? "leaf" : "leaves")}{(children ? " · leaf processes" : "")}",
                        OursName = RioName,
                        OursLabel = "ours through Registered I/O on the rooted provider (sockets made with WSA_FLAG_REGISTERED_IO): the " +
                                    "root posts RIOSend(RIO_MSG_DEFER) per message from up to 4,096 slots of a registered buffer (1 MiB " +
                                    "at most, at least 16 slots) and commits once per ~64 KB (RIO_MSG_COMMIT_ONLY), recycling slots from its send completion " +
                                    "queue; each leaf keeps up to 16,384 RIOReceive slots posted (2 MiB at most: 31 for 64 KiB messages), " +
                                    "dequeues up to 1,024 completions per RIODequeueCompletion, verifies and reposts them with one commit; " +
                                    "an empty completion queue is waited on through RIONotify and an event; each request queue's limit is exactly " +
                                    "the slots its side keeps posted (the other direction's 0), and its completion queue holds exactly that",
                        Ours = rio is null ? Run(FanOutSides.Rio) : null,
                        OursUnavailable = rio,
                        Extra =
                        [
                            new Side(RecvName, "ours through the plain path on the rooted provider (c_root/d_root, WSAJoinLeaf): one send() " +
                                               "per message at the root, one blocking recv() per message at each leaf; the provider batches",
                                rooted is null ? Run(FanOutSides.Recv) : null, rooted),
                            new Side(NetMqName, "NetMQ 4.0.4.5 PUB/SUB over tcp://127.0.0.1: one frame per message (SendFrame), leaves " +
                                                "TryReceive into a reused Msg; SendHighWatermark = ReceiveHighWatermark = 0 (unlimited)",
                                Run(FanOutSides.NetMq)),
                        ],
                        BaselineName = RawName,
                        BaselineLabel = "hand-batched raw sockets (System.Net.Sockets): the root encodes ~64 KB of frames once and " +
                                        "writes it with one blocking Send per leaf; leaves read 256 KiB at a time — the reference of every ratio",
                        Baseline = Run(FanOutSides.Raw),
                        Metrics = [PerLeaf, Aggregate, CpuPerGB, Loss],
                        Parameters = new Dictionary<string, int> { ["size"] = size, ["leaves"] = leaves, ["children"] = children ? 1 : 0 },
                    };
                }
            }
        }
    }

    public IEnumerable<string> Notes(Options options)
    {
        yield return $"Each run: the root sends for {Budget(options.Quick).TotalMilliseconds:N0} ms (at most {MaxMessages(options.Quick):N0} messages; " +
                     "NetMQ at most what fits its unbounded queues in 1 GiB, see below), then ends the stream; time runs from the first " +
                     "send until the last leaf has seen the end. Frames are [u32 length][u64 sequence][payload] on every side; every " +
                     "leaf checks every sequence number and payload, and a loss, duplicate or reorder fails the side instead of being " +
                     "reported as a rate (NetMQ: see loss). The sides of a cell run in turn, round after round, in the same process.";
        yield return "Per-leaf rate = messages each leaf verified (mean over the leaves) / elapsed; aggregate = payload bytes delivered " +
                     "to all leaves / elapsed (MB = 10⁶ B); CPU per GB = processor time of the root's process and of the leaves' " +
                     "processes during the run / payload GB delivered (10⁹ B). Leaves on threads: the root's process holds everything. " +
                     "Leaf processes (cells marked so): each leaf is the bench started again as its own process (`--child fanout-leaf`), " +
                     "joins or connects, says ready on its stdout, verifies the stream and reports its count, its first error, when " +
                     "it saw the end (the machine's monotonic clock) and its processor time; a leaf process that does not report in " +
                     "120 s is killed and the run fails. Setup (joins, process starts) is not timed." +
                     (options.Quick ? " --quick runs leaf processes for 1 and 4 leaves." : "");
        yield return $"NetMQ: PUB/SUB drops at its high-water mark, so both marks are 0 (unlimited) and a run sends at most " +
                     $"1 GiB / ((frame + 64 B) × leaves) messages (e.g. {NetMqFanOut.Cap(64, 16):N0} of 64 B to 16 leaves, " +
                     $"{NetMqFanOut.Cap(64 * 1024, 1):N0} of 64 KiB to one leaf) to bound its queues. Subscribers are connected and " +
                     "subscribed before timing: the root publishes probe frames until every leaf has seen one. A gap in a leaf's " +
                     "sequence would be NetMQ dropping: it is counted as loss (% of the messages due to all leaves) instead of " +
                     "failing the run; every other side must lose nothing. NetMQ runs with its default single I/O thread per process.";
    }

    private static string Format(int size) => Report.Format.Size(size);

    private static Sample Measure(IFanOutSide side, bool children, int leaves, int size, bool quick)
    {
        using FanOutLeaves host = children ? new FanOutLeaves.Children() : new FanOutLeaves.InProcess();
        using var root = side.CreateRoot();
        var endPoint = root.Open(leaves, size);
        host.Start(side, endPoint, leaves, size);
        if (root.Admit(leaves, () => host.Settled(leaves), TimeSpan.FromSeconds(60)) is { } why) return Sample.Fail(why);
        if (!host.AllReady(leaves))
        {
            var early = host.Wait(TimeSpan.FromSeconds(5)).FirstOrDefault(r => r.Error is not null);
            return Sample.Fail($"a leaf failed before it was ready: {early.Error ?? "no report"}");
        }
        var cpu0 = Cpu.Process();
        long t0 = Stopwatch.GetTimestamp();
        long sent = root.SendLoop(MaxMessages(quick), Budget(quick));
        var reports = host.Wait(TimeSpan.FromSeconds(children ? 150 : 60));
        var cpu = Cpu.Process() - cpu0 + host.ExternalCpu;
        if (reports.Count != leaves) return Sample.Fail($"{reports.Count} leaf reports for {leaves} leaves");
        for (int i = 0; i < reports.Count; i++)
        {
            if (reports[i].Error is { } e) return Sample.Fail($"leaf {i}: {e}");
            if (reports[i].Received + reports[i].Lost != sent) return Sample.Fail($"leaf {i} accounted for {reports[i].Received + reports[i].Lost} of {sent} messages");
        }
        if (sent == 0) return Sample.Fail("the root sent nothing");
        double seconds = Cpu.Seconds(reports.Max(r => r.FinishedTimestamp) - t0);
        double received = reports.Sum(r => (double)r.Received);
        double bytes = received * size;
        return new Sample()
            .Set(PerLeaf.Name, received / leaves / seconds)
            .Set(Aggregate.Name, bytes / seconds / 1e6)
            .Set(CpuPerGB.Name, cpu.TotalSeconds / (bytes / 1e9))
            .Set(Loss.Name, 100.0 * reports.Sum(r => (double)r.Lost) / ((double)sent * leaves));
    }
}
