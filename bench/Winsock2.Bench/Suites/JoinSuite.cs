using System.Diagnostics;
using Winsock2.Bench.Baselines;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Ours;

namespace Winsock2.Bench.Suites;

/// <summary>Suite 2, join: K sequential joins (1,000; 50 with --quick), total time and per-join p50/p99, both initiators.</summary>
public sealed class JoinSuite : ISuite
{
    private static readonly Metric Total = new("time for all joins", "ms", Better.Lower);
    private static readonly Metric P50 = new("p50 join latency", "µs", Better.Lower);
    private static readonly Metric P99 = new("p99 join latency", "µs", Better.Lower);

    public string Name => "join";
    public string Title => "2. Join";

    private static int Joins(bool quick) => quick ? 50 : 1_000;

    /// <summary>Our side: the rooted multipoint provider.</summary>
    private static Func<IJoinSubject>? OursFactory => () => new RootedJoin();

    public IEnumerable<BenchCase> Cases(Options options)
    {
        string? unavailable = Availability.RootedProvider() ?? (OursFactory is null ? "the rooted provider answers, but the bench side is not written yet." : null);
        foreach (bool leafInitiated in new[] { true, false })
        {
            int k = Joins(options.Quick);
            yield return new BenchCase
            {
                Suite = Name,
                Name = $"{k:N0} joins, {(leafInitiated ? "leaf-initiated" : "root-initiated")}",
                OursLabel = "WSAJoinLeaf on the rooted provider",
                BaselineLabel = "TCP connect + 64-byte request/response (System.Net.Sockets)",
                Metrics = [Total, P50, P99],
                Ours = unavailable is null && OursFactory is { } f ? () => Measure(f, leafInitiated, k) : null,
                OursUnavailable = unavailable,
                Baseline = () => Measure(() => new SocketJoin(), leafInitiated, k),
            };
        }
    }

    public IEnumerable<string> Notes(Options options)
    {
        yield return $"{Joins(options.Quick):N0} joins one after another from one thread; each join is timed from the call until both " +
                     "sides completed it, and every joined leaf stays joined until the run ends. Total = sum of the joins; " +
                     "p50/p99 over the joins of the run (nearest rank). Baseline sockets close with linger 0 (no TIME_WAIT).";
    }

    private static Sample Measure(Func<IJoinSubject> make, bool leafInitiated, int joins)
    {
        using var subject = make();
        subject.Open(leafInitiated);
        var latencies = new double[joins];
        for (int i = 0; i < joins; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            subject.JoinOne();
            latencies[i] = Cpu.Seconds(Stopwatch.GetTimestamp() - t0) * 1e6;
        }
        double total = latencies.Sum() / 1000;
        Array.Sort(latencies);
        return new Sample().Set(Total.Name, total).Set(P50.Name, Stats.Percentile(latencies, 50)).Set(P99.Name, Stats.Percentile(latencies, 99));
    }
}
