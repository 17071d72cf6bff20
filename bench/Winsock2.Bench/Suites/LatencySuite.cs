using System.Diagnostics;
using Winsock2.Bench.Baselines;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Ours;

namespace Winsock2.Bench.Suites;

/// <summary>Suite 4, latency: 64 B one way (half a round trip), p50 and p99.</summary>
public sealed class LatencySuite : ISuite
{
    private const int Size = 64;
    private static readonly Metric P50 = new("p50 one-way", "µs", Better.Lower);
    private static readonly Metric P99 = new("p99 one-way", "µs", Better.Lower);

    public string Name => "latency";
    public string Title => "4. Latency";

    private static int RoundTrips(bool quick) => quick ? 200 : 20_000;
    private static TimeSpan Budget(bool quick) => quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(3);

    /// <summary>Our side: the rooted multipoint provider.</summary>
    private static Func<ILatencySubject>? OursFactory => () => new RootedPingPong();

    public IEnumerable<BenchCase> Cases(Options options)
    {
        string? unavailable = Availability.RootedProvider() ?? (OursFactory is null ? "the rooted provider answers, but the bench side is not written yet." : null);
        yield return new BenchCase
        {
            Suite = Name,
            Name = "64 B one-way",
            OursLabel = "rooted session (root → leaf → root)",
            BaselineLabel = "raw TCP ping-pong, TCP_NODELAY (System.Net.Sockets)",
            Metrics = [P50, P99],
            Ours = unavailable is null && OursFactory is { } f ? () => Measure(f, options.Quick) : null,
            OursUnavailable = unavailable,
            Baseline = () => Measure(() => new SocketPingPong(), options.Quick),
        };
    }

    public IEnumerable<string> Notes(Options options)
    {
        yield return $"Up to {RoundTrips(options.Quick):N0} round trips of {Size} B (at most {Budget(options.Quick).TotalSeconds:N0} s) after 100 " +
                     "untimed ones; one-way = round trip / 2; percentiles by nearest rank.";
    }

    private static Sample Measure(Func<ILatencySubject> make, bool quick)
    {
        using var subject = make();
        subject.Open(Size);
        for (int i = 0; i < 100; i++) subject.RoundTrip();
        var oneWay = new List<double>(RoundTrips(quick));
        long deadline = Stopwatch.GetTimestamp() + (long)(Budget(quick).TotalSeconds * Stopwatch.Frequency);
        while (oneWay.Count < RoundTrips(quick) && Stopwatch.GetTimestamp() < deadline)
        {
            long t0 = Stopwatch.GetTimestamp();
            subject.RoundTrip();
            oneWay.Add(Cpu.Seconds(Stopwatch.GetTimestamp() - t0) * 1e6 / 2);
        }
        var sorted = oneWay.Order().ToArray();
        return new Sample().Set(P50.Name, Stats.Percentile(sorted, 50)).Set(P99.Name, Stats.Percentile(sorted, 99));
    }
}
