using Winsock2.Bench.Baselines;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Ours;

namespace Winsock2.Bench.Suites;

/// <summary>
/// Rooted soak: liveness and integrity of a rooted session under a root sending at full speed, leaves in a child
/// process. "Liveness": one reading leaf for 60 s (--quick: 2 s) is never declared dead and receives every message.
/// "Soak": 10⁷ messages to 16 leaves (--quick: 20,000 to 2) with nothing lost, duplicated or reordered.
/// Baseline: the same stream over plain System.Net.Sockets TCP (<see cref="SocketFanOut"/>, leaves in this process).
/// </summary>
public sealed class RootedSoakSuite : ISuite
{
    private static readonly Metric Rate = new("root send rate", "msg/s", Better.Higher);
    private static readonly Metric Healthy = new("healthy leaf rate", "msg/s", Better.Higher);
    private const int Size = 52; // 64-byte frames

    public string Name => "rooted-soak";
    public string Title => "8. Rooted soak";

    public IEnumerable<BenchCase> Cases(Options options)
    {
        string? unavailable = Availability.RootedProvider();
        var liveness = options.Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(60);
        yield return Case($"liveness: 1 reading leaf, {liveness.TotalSeconds:F0} s at full speed", 1, long.MaxValue, liveness, unavailable);
        (int leaves, long messages) = options.Quick ? (2, 20_000L) : (16, 10_000_000L);
        yield return Case($"soak: {messages:N0} messages to {leaves} leaves", leaves, messages, TimeSpan.FromMinutes(10), unavailable);
        long slowMessages = options.Quick ? 200_000 : 2_000_000;
        yield return new BenchCase
        {
            Suite = Name,
            Name = $"slow link under MP_POLICY_EVICT: {slowMessages:N0} messages, 2 healthy leaves",
            OursLabel = "with a third leaf behind a 64 KiB/s link (evicted)",
            BaselineLabel = "the same session without it",
            Metrics = [Healthy],
            Ours = unavailable is null ? () => RootedSlowLink.Run(2, slowMessages, Size, withSlowLeaf: true, Healthy.Name) : null,
            OursUnavailable = unavailable,
            Baseline = () => RootedSlowLink.Run(2, slowMessages, Size, withSlowLeaf: false, Healthy.Name),
        };
    }

    private BenchCase Case(string name, int leaves, long messages, TimeSpan budget, string? unavailable) => new()
    {
        Suite = Name,
        Name = name,
        OursLabel = "rooted provider, leaves in a child process",
        BaselineLabel = "System.Net.Sockets TCP fan-out, leaves in this process",
        Metrics = [Rate],
        Ours = unavailable is null ? () => RunOurs(leaves, messages, budget) : null,
        OursUnavailable = unavailable,
        Baseline = () => RunBaseline(leaves, messages, budget),
    };

    private static Sample RunOurs(int leaves, long messages, TimeSpan budget)
    {
        using var soak = new RootedSoak();
        soak.Start(leaves, Size);
        return soak.Run(messages, budget, Size, leaves, Rate.Name);
    }

    private static Sample RunBaseline(int leaves, long messages, TimeSpan budget)
    {
        using var leafThreads = new FanOutLeaves.InProcess();
        using var root = FanOutSides.Raw.CreateRoot();
        leafThreads.Start(FanOutSides.Raw, root.Open(leaves, Size), leaves, Size);
        if (root.Admit(leaves, () => leafThreads.Settled(leaves), TimeSpan.FromSeconds(60)) is { } why) return Sample.Fail(why);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long sent = root.SendLoop(messages, budget);
        var reports = leafThreads.Wait(TimeSpan.FromSeconds(120));
        double seconds = clock.Elapsed.TotalSeconds;
        if (reports.FirstOrDefault(r => r.Error is not null) is { Error: { } e }) return Sample.Fail(e);
        if (reports.Any(r => r.Received != sent)) return Sample.Fail("a leaf did not receive every message");
        return new Sample().Set(Rate.Name, sent / seconds);
    }

    public IEnumerable<string> Notes(Options options)
    {
        yield return "The root sends 64-byte messages (FanOutFrame) one send() each, as fast as it can, with the default heartbeat " +
                     "(1 s; a peer silent for 3 s is declared dead). Each leaf is a thread in the child process doing blocking recv " +
                     "and checking every message's length and sequence; the child reports the total and the first error once the " +
                     "root's shutdown(SD_SEND) ended the session. A leaf declared dead, a failed send, or any loss, duplicate or " +
                     "reorder fails the case. The rate is messages the root sent per second, end of session included.";
        yield return "Slow link: both sides are the rooted provider under MP_POLICY_EVICT (queue limit 1 MiB) with two healthy leaves " +
                     "in this process; ours adds a third leaf whose link is a userspace forwarder passing 64 KiB/s toward it (no " +
                     "netem). The root keeps at most 2,048 messages ahead of the slower healthy leaf, so only the slow link can pass " +
                     "the limit; the slow leaf must be evicted (FD_CLOSE on its per-leaf socket) or the case fails. Ours/baseline is " +
                     "the healthy leaves' rate with the slow leaf over their rate without it (the goal: at least 0.8).";
    }
}
