using Winsock2.Bench.Harness;
using Winsock2.Bench.Suites;

namespace Winsock2.Bench.Report;

/// <summary>The "done when" targets of the benchmark issues, checked against this run where our side was measured.</summary>
public static class Goals
{
    public static IEnumerable<string> Lines(IReadOnlyList<SuiteResult> results)
    {
        yield return SideGoal(results, FanOutSuite.RioName, null, "per-leaf rate",
            "RIO fan-out ≥ 0.8× the hand-batched baseline in all nine cells (leaves on threads)", r => r >= 0.8, min: true);
        yield return SideGoal(results, FanOutSuite.RecvName, FanOutSuite.NetMqName, "per-leaf rate",
            "plain-path fan-out (recv) ahead of NetMQ PUB/SUB in every cell (leaves on threads; ratio recv/NetMQ)", r => r > 1, min: true);
        yield return RatioGoal(results, "join", _ => true, "time for all joins", "1,000 joins take ≤ 1.5× the raw connect-and-reply baseline",
            r => r <= 1.5, min: false);
        yield return ValueGoal(results, "join", "", "p99 join latency", "p99 join latency under 2 ms", v => v < 2000, "µs");
        yield return RatioGoal(results, "recv", n => n.Contains("WSARecv"), "cost per message", "overlapped WSARecv ≤ 1.25× ReceiveAsync per operation", r => r <= 1.25, min: false);
        yield return RatioGoal(results, "recv", n => n.StartsWith("16 KiB", StringComparison.Ordinal) && n.Contains("blocking recv"), "cost per message",
            "blocking 16 KiB recv ≤ 1.1× Socket.Receive", r => r <= 1.1, min: false);
        yield return ValueGoal(results, "memory", "idle", "managed heap per peer", "root memory per idle leaf ≤ 32 KiB", v => v <= 32 * 1024, "B");
        yield return RatioGoal(results, "rooted-soak", n => n.StartsWith("slow link", StringComparison.Ordinal), "healthy leaf rate",
            "healthy leaves keep ≥ 0.8× their rate when one leaf's link slows (MP_POLICY_EVICT)", r => r >= 0.8, min: true);
    }

    /// <summary>
    /// A fan-out side's median against another side's (<paramref name="against"/>; null: the baseline), in the
    /// in-process cells.
    /// </summary>
    private static string SideGoal(IReadOnlyList<SuiteResult> results, string side, string? against, string metric, string goal,
        Func<double, bool> met, bool min)
    {
        var cases = Find(results, "fanout").Where(c => c.Case.Parameters.GetValueOrDefault("children") == 0).ToList();
        if (cases.Count == 0) return $"{goal}: not run.";
        var ratios = new List<(string Name, double R)>();
        int failed = 0, unavailable = 0;
        foreach (var c in cases)
        {
            int i = c.IndexOf(side), j = against is null ? c.BaselineIndex : c.IndexOf(against);
            if (i < 0 || j < 0 || c.Case.Metrics.FirstOrDefault(m => m.Name == metric) is not { } m) continue;
            if (c.Case.Sides[i].Run is null) { unavailable++; continue; }
            if (c.Failure(i) is not null || c.Failure(j) is not null) { failed++; continue; }
            if (c.StatsOf(i, m) is { } a && c.StatsOf(j, m) is { } b && b.Median != 0) ratios.Add((c.Case.Name, a.Median / b.Median));
        }
        string failedNote = failed == 0 ? "" : $" {failed} of {cases.Count} cells FAILED a correctness check and have no ratio.";
        if (ratios.Count == 0)
            return failed > 0 ? $"{goal}: not met —{failedNote}" : unavailable > 0 ? $"{goal}: not yet measurable ({side} is not available on this build)." : $"{goal}: no ratio.";
        var worst = min ? ratios.MinBy(x => x.R) : ratios.MaxBy(x => x.R);
        bool all = failed == 0 && unavailable == 0 && ratios.All(x => met(x.R));
        return $"{goal}: {(all ? "met" : "not met")} — worst {Format.Ratio(worst.R)} ({worst.Name}); " +
               string.Join(", ", ratios.Select(x => $"{x.Name}: {Format.Ratio(x.R)}")) + "." + failedNote;
    }

    private static IEnumerable<CaseResult> Find(IReadOnlyList<SuiteResult> results, string suite) =>
        results.Where(r => r.Suite.Name == suite).SelectMany(r => r.Cases);

    private static string RatioGoal(IReadOnlyList<SuiteResult> results, string suite, Func<string, bool> which, string metric,
        string goal, Func<double, bool> met, bool min)
    {
        var cases = Find(results, suite).Where(c => which(c.Case.Name)).ToList();
        if (cases.Count == 0) return $"{goal}: not run.";
        var ratios = cases.Select(c => (c.Case.Name, R: c.Case.Metrics.FirstOrDefault(m => m.Name == metric) is { } m ? c.Ratio(m) : null))
            .Where(x => x.R is not null).ToList();
        int failed = cases.Count(c => c.Failed);
        string failedNote = failed == 0 ? "" : $" {failed} of {cases.Count} cases FAILED their correctness check and have no ratio.";
        if (ratios.Count == 0)
            return failed > 0 ? $"{goal}: not met —{failedNote}" : $"{goal}: not yet measurable (our side is not yet available).";
        var worst = min ? ratios.MinBy(x => x.R) : ratios.MaxBy(x => x.R);
        bool all = failed == 0 && ratios.All(x => met(x.R!.Value));
        return $"{goal}: {(all ? "met" : "not met")} — worst {Format.Ratio(worst.R)} ({worst.Name}); " +
               string.Join(", ", ratios.Select(x => $"{x.Name}: {Format.Ratio(x.R)}")) + "." + failedNote;
    }

    private static string ValueGoal(IReadOnlyList<SuiteResult> results, string suite, string namePart, string metric, string goal,
        Func<double, bool> met, string unit)
    {
        var cases = Find(results, suite).Where(c => c.Case.Name.Contains(namePart)).ToList();
        if (cases.Count == 0) return $"{goal}: not run.";
        var ours = cases.Select(c => (c.Case.Name, S: c.Case.Metrics.FirstOrDefault(m => m.Name == metric) is { } m ? c.OursStats(m) : null))
            .Where(x => x.S is not null).ToList();
        var baseline = cases.Select(c => (c.Case.Name, S: c.Case.Metrics.FirstOrDefault(m => m.Name == metric) is { } m ? c.BaselineStats(m) : null))
            .Where(x => x.S is not null).Select(x => $"{x.Name}: {Format.Number(x.S!.Value.Median)} {unit}");
        string reference = $" (baseline {string.Join(", ", baseline)})";
        if (ours.Count == 0) return $"{goal}: not yet measurable (our side is not yet available){reference}.";
        bool all = ours.All(x => met(x.S!.Value.Median));
        return $"{goal}: {(all ? "met" : "not met")} — " +
               string.Join(", ", ours.Select(x => $"{x.Name}: {Format.Number(x.S!.Value.Median)} {unit}")) + reference + ".";
    }
}
