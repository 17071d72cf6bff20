using System.Text;
using Winsock2.Bench.Harness;

namespace Winsock2.Bench.Report;

/// <summary>
/// One Markdown table per suite: a row per (case, metric) with medians, min–max spread and ours/baseline. A suite
/// whose cases measure more than two sides gets a column per side (median and min–max) and a ratio column per side.
/// </summary>
public static class MarkdownTable
{
    public static string Suite(SuiteResult r)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"### {r.Suite.Title}").AppendLine();
        foreach (var side in Sides(r)) sb.AppendLine($"- {side}");
        foreach (var note in r.Notes) sb.AppendLine($"- {note}");
        sb.AppendLine();
        if (r.Cases.Any(c => c.Case.Extra.Count > 0)) MultiSide(sb, r);
        else TwoSide(sb, r);
        return sb.AppendLine().ToString();
    }

    private static void TwoSide(StringBuilder sb, SuiteResult r)
    {
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
    }

    /// <summary>Columns: each side's median (min–max), then each non-baseline side / baseline.</summary>
    private static void MultiSide(StringBuilder sb, SuiteResult r)
    {
        var names = r.Cases[0].Case.Sides.Select(s => s.Name).ToArray();
        string baseline = names[^1];
        sb.Append("| Case | Metric | Better |");
        foreach (var n in names) sb.Append($" {n} median (min–max) |");
        foreach (var n in names[..^1]) sb.Append($" {n}/{baseline} |");
        sb.AppendLine(" Status |");
        sb.Append("|---|---|---|").Append(string.Concat(Enumerable.Repeat("---:|", names.Length * 2 - 1))).AppendLine("---|");
        foreach (var c in r.Cases)
        {
            foreach (var m in c.Case.Metrics)
            {
                sb.Append($"| {c.Case.Name} | {m.Name} ({m.Unit}) | {m.Direction} |");
                for (int i = 0; i < c.Case.Sides.Count; i++)
                {
                    string cell = c.Case.Sides[i].Run is null ? "not available"
                        : c.Failure(i) is not null ? "FAILED"
                        : c.StatsOf(i, m) is { } s ? $"{Format.Number(s.Median)} ({Format.Number(s.Min)}–{Format.Number(s.Max)})" : "—";
                    sb.Append($" {cell} |");
                }
                for (int i = 0; i < c.Case.Sides.Count - 1; i++) sb.Append($" {Format.Ratio(c.RatioOf(i, m))} |");
                sb.AppendLine($" {Status(c)} |");
            }
        }
    }

    private static IEnumerable<string> Sides(SuiteResult r)
    {
        if (r.Cases.Any(c => c.Case.Extra.Count > 0))
        {
            foreach (var side in r.Cases.SelectMany(c => c.Case.Sides).DistinctBy(s => (s.Name, s.Label)))
                yield return $"{side.Name}: {side.Label}.";
            foreach (var side in r.Cases.SelectMany(c => c.Case.Sides).Where(s => s.Run is null).DistinctBy(s => (s.Name, s.Unavailable)))
                yield return $"{side.Name} not available: {side.Unavailable}";
            yield break;
        }
        foreach (var pair in r.Cases.Select(c => (c.Case.OursLabel, c.Case.BaselineLabel)).Distinct())
            yield return $"Ours: {pair.OursLabel}; baseline: {pair.BaselineLabel}.";
        foreach (var reason in r.Cases.Where(c => c.Case.Ours is null).Select(c => c.Case.OursUnavailable).Distinct())
            yield return $"Ours not yet available: {reason}";
    }

    private static string Median(Stats? s) => s is { } v ? Format.Number(v.Median) : "—";

    private static string Spread(Stats? s) => s is { } v ? $"{Format.Number(v.Min)}–{Format.Number(v.Max)}" : "—";

    private static string Status(CaseResult c)
    {
        var failed = Enumerable.Range(0, c.Case.Sides.Count).Where(i => c.Failure(i) is not null).ToList();
        if (failed.Count == 0) return c.Case.Ours is null && c.Case.Extra.Count == 0 ? "baseline only" : "ok";
        if (c.Case.Extra.Count == 0)
            return c.OursFailure is { } o ? $"FAILED (ours): {Escape(o)}" : $"FAILED (baseline): {Escape(c.BaselineFailure!)}";
        return string.Join("; ", failed.Select(i => $"FAILED ({c.Case.Sides[i].Name}): {Escape(c.Failure(i)!)}"));
    }

    private static string Escape(string s) => s.Replace("|", "\\|").ReplaceLineEndings(" ");
}
