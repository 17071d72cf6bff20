using Winsock2.Bench.Harness;

namespace Winsock2.Bench.Report;

/// <summary>The "done when" targets of issue 6, checked against this run where our side was measured.</summary>
public static class Goals
{
    public static IEnumerable<string> Lines(IReadOnlyList<SuiteResult> results)
    {
        yield return RatioGoal(results, "fanout", _ => true, "per-leaf rate", "every fan-out cell ≥ 0.8× the baseline", r => r >= 0.8, min: true);
        yield return ValueGoal(results, "join", "leaf-initiated", "time for all joins", "1,000 leaves join in under 1 s", v => v < 1000, "ms");
        yield return ValueGoal(results, "join", "", "p99 join latency", "p99 join latency under 2 ms", v => v < 2000, "µs");
        yield return RatioGoal(results, "recv", n => n.Contains("WSARecv"), "cost per message", "overlapped WSARecv ≤ 1.25× ReceiveAsync per operation", r => r <= 1.25, min: false);
        yield return ValueGoal(results, "memory", "idle", "managed heap per peer", "root memory per idle leaf ≤ 32 KiB", v => v <= 32 * 1024, "B");
        yield return RatioGoal(results, "rooted-soak", n => n.StartsWith("slow link", StringComparison.Ordinal), "healthy leaf rate",
            "healthy leaves keep ≥ 0.8× their rate when one leaf's link slows (MP_POLICY_EVICT)", r => r >= 0.8, min: true);
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
