using System.Diagnostics;
using Winsock2.Bench.Baselines;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Ours;

namespace Winsock2.Bench.Suites;

/// <summary>
/// Suite 1, fan-out: root → N leaves (N = 1, 4, 16) with 64 B, 1 KiB and 64 KiB messages; per-leaf messages/s,
/// aggregate MB/s and process CPU seconds per GB delivered. Every message is verified by sequence number.
/// </summary>
public sealed class FanOutSuite : ISuite
{
    public static readonly Metric PerLeaf = new("per-leaf rate", "msg/s", Better.Higher);
    public static readonly Metric Aggregate = new("aggregate", "MB/s", Better.Higher);
    public static readonly Metric CpuPerGB = new("process CPU per GB", "CPU s/GB", Better.Lower);
    private static readonly int[] Sizes = [64, 1024, 64 * 1024];
    private static readonly int[] LeafCounts = [1, 4, 16];

    public string Name => "fanout";
    public string Title => "1. Fan-out";

    private static TimeSpan Budget(bool quick) => quick ? TimeSpan.FromMilliseconds(50) : TimeSpan.FromSeconds(1);
    private static long MaxMessages(bool quick) => quick ? 2_000 : 50_000_000;

    /// <summary>Our side: the rooted multipoint provider.</summary>
    private static Func<IFanOutSubject>? OursFactory => () => new RootedFanOut();

    public IEnumerable<BenchCase> Cases(Options options)
    {
        string? unavailable = Availability.RootedProvider() ?? (OursFactory is null ? "the rooted provider answers, but the bench side is not written yet." : null);
        foreach (int size in Sizes)
        {
            foreach (int leaves in LeafCounts)
            {
                yield return new BenchCase
                {
                    Suite = Name,
                    Name = $"{Format(size)} × {leaves} {(leaves == 1 ? "leaf" : "leaves")}",
                    OursLabel = "rooted multipoint provider (c_root/d_root, WSAJoinLeaf)",
                    BaselineLabel = "System.Net.Sockets, batched ~64 KB writes, one Send per leaf per batch",
                    Metrics = [PerLeaf, Aggregate, CpuPerGB],
                    Ours = unavailable is null && OursFactory is { } f ? () => Measure(f, leaves, size, options.Quick) : null,
                    OursUnavailable = unavailable,
                    Baseline = () => Measure(() => new SocketFanOut(), leaves, size, options.Quick),
                    Parameters = new Dictionary<string, int> { ["size"] = size, ["leaves"] = leaves },
                };
            }
        }
    }

    public IEnumerable<string> Notes(Options options)
    {
        yield return $"Each run: the root sends for {Budget(options.Quick).TotalMilliseconds:N0} ms (at most {MaxMessages(options.Quick):N0} messages), " +
                     "then ends the stream; time runs from the first send until the last leaf has seen the end. Frames are " +
                     "[u32 length][u64 sequence][payload]; every leaf checks every sequence number, and a loss, duplicate or " +
                     "reorder fails the case instead of being reported as a rate.";
        yield return "Per-leaf rate = messages / elapsed; aggregate = payload bytes delivered to all leaves / elapsed (MB = 10⁶ B); " +
                     "CPU per GB = Process.TotalProcessorTime delta / payload GB delivered (10⁹ B). The leaves run in the same " +
                     "process on their own threads, so the CPU figure is root + leaves, for both sides.";
    }

    private static string Format(int size) => Report.Format.Size(size);

    private static Sample Measure(Func<IFanOutSubject> make, int leaves, int size, bool quick)
    {
        using var subject = make();
        subject.Start(leaves, size);
        var cpu0 = Cpu.Process();
        long t0 = Stopwatch.GetTimestamp();
        long sent = subject.SendLoop(MaxMessages(quick), Budget(quick));
        var reports = subject.WaitReceivers(TimeSpan.FromSeconds(30));
        var cpu = Cpu.Process() - cpu0;
        if (reports.Count != leaves) return Sample.Fail($"{reports.Count} leaf reports for {leaves} leaves");
        for (int i = 0; i < reports.Count; i++)
        {
            if (reports[i].Error is { } e) return Sample.Fail($"leaf {i}: {e}");
            if (reports[i].Received != sent) return Sample.Fail($"leaf {i} received {reports[i].Received} of {sent} messages");
        }
        if (sent == 0) return Sample.Fail("the root sent nothing");
        double seconds = Cpu.Seconds(reports.Max(r => r.FinishedTimestamp) - t0);
        double bytes = (double)sent * size * leaves;
        return new Sample()
            .Set(PerLeaf.Name, sent / seconds)
            .Set(Aggregate.Name, bytes / seconds / 1e6)
            .Set(CpuPerGB.Name, cpu.TotalSeconds / (bytes / 1e9));
    }
}
