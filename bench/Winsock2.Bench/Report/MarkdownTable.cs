using System.Text;
using Winsock2.Bench.Harness;

namespace Winsock2.Bench.Report;

/// <summary>One Markdown table per suite: a row per (case, metric) with medians, min–max spread and ours/baseline.</summary>
public static class MarkdownTable
{
    public static string Suite(SuiteResult r)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"### {r.Suite.Title}").AppendLine();
        foreach (var side in Sides(r)) sb.AppendLine($"- {side}");
        foreach (var note in r.Notes) sb.AppendLine($"- {note}");
        sb.AppendLine();
        sb.AppendLine("| Case | Metric | Better | Ours median | Ours min–max | Baseline median | Baseline min–max | Ours/baseline | Status |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---|");
        foreach (var c in r.Cases)
        {
            foreach (var m in c.Case.Metrics)
            {
                string ours = c.Case.Ours is null ? "not yet available" : c.OursFailure is not null ? "FAILED" : Median(c.OursStats(m));
                string oursSpread = c.Case.Ours is null ? "—" : Spread(c.OursStats(m));
                sb.AppendLine($"| {c.Case.Name} | {m.Name} ({m.Unit}) | {m.Direction} | {ours} | {oursSpread} | " +
                              $"{(c.BaselineFailure is not null ? "FAILED" : Median(c.BaselineStats(m)))} | {Spread(c.BaselineStats(m))} | {Format.Ratio(c.Ratio(m))} | {Status(c)} |");
            }
        }
        return sb.AppendLine().ToString();
    }

    private static IEnumerable<string> Sides(SuiteResult r)
    {
        foreach (var pair in r.Cases.Select(c => (c.Case.OursLabel, c.Case.BaselineLabel)).Distinct())
            yield return $"Ours: {pair.OursLabel}; baseline: {pair.BaselineLabel}.";
        foreach (var reason in r.Cases.Where(c => c.Case.Ours is null).Select(c => c.Case.OursUnavailable).Distinct())
            yield return $"Ours not yet available: {reason}";
    }

    private static string Median(Stats? s) => s is { } v ? Format.Number(v.Median) : "—";

    private static string Spread(Stats? s) => s is { } v ? $"{Format.Number(v.Min)}–{Format.Number(v.Max)}" : "—";

    private static string Status(CaseResult c)
    {
        if (c.OursFailure is { } o) return $"FAILED (ours): {Escape(o)}";
        if (c.BaselineFailure is { } b) return $"FAILED (baseline): {Escape(b)}";
        return c.Case.Ours is null ? "baseline only" : "ok";
    }

    private static string Escape(string s) => s.Replace("|", "\\|").ReplaceLineEndings(" ");
}
