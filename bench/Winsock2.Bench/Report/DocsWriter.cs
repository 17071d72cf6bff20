using System.Text;
using Winsock2.Bench.Harness;

namespace Winsock2.Bench.Report;

/// <summary>Rewrites docs/benchmarks.md (full table of this run, command, machine) and docs/benchmarks-fanout.svg.</summary>
public static class DocsWriter
{
    public const string ChartFile = "benchmarks-fanout.svg";

    public static string Write(Options options, MachineInfo machine, IReadOnlyList<SuiteResult> results, string? fanOutSvg)
    {
        var docs = Path.Combine(RepositoryRoot(), "docs");
        Directory.CreateDirectory(docs);
        if (fanOutSvg is not null) File.WriteAllText(Path.Combine(docs, ChartFile), fanOutSvg);
        var md = Path.Combine(docs, "benchmarks.md");
        File.WriteAllText(md, Markdown(options, machine, results, fanOutSvg is not null));
        return md;
    }

    public static string Markdown(Options options, MachineInfo machine, IReadOnlyList<SuiteResult> results, bool withChart)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Benchmarks").AppendLine();
        sb.AppendLine("Written by the harness in `bench/Winsock2.Bench`; do not edit by hand — rerun it. Every suite " +
                      "measures our code and its baseline (the fan-out suite: four sides) in the same run, alternating ours, baseline, ours, baseline … " +
                      $"({options.Rounds} rounds, after untimed warm-up rounds of every side: at least one, and until " +
                      $"{Alternator.WarmUpTime.TotalSeconds:N0} s has passed; each timed run after a " +
                      $"{Alternator.SettleTime.TotalMilliseconds:N0} ms pause, so the previous run's teardown is not timed), and reports the median, the spread " +
                      "(min–max over the rounds) and ours/baseline = median(ours) / median(baseline) (every side / the baseline). The *Better* column says " +
                      "which direction is good for each metric: for a *higher* metric a ratio above 1 favours ours, for a " +
                      "*lower* metric a ratio below 1 does. Everything runs on loopback (127.0.0.1); every loop is bounded in " +
                      "count and time. `--quick` runs each suite small and checks correctness only; timing never fails a run.");
        sb.AppendLine();
        sb.AppendLine("## Command").AppendLine().AppendLine("    " + options.CommandLine).AppendLine();
        sb.AppendLine("## Machine").AppendLine();
        foreach (var line in machine.Lines()) sb.AppendLine($"- {line}");
        sb.AppendLine();
        sb.AppendLine("## Goals").AppendLine();
        foreach (var line in Goals.Lines(results)) sb.AppendLine($"- {line}");
        sb.AppendLine();
        sb.AppendLine("What bounds the fan-out cells below 0.8×, what was tried and what was measured: " +
                      "[benchmarks-fanout-notes.md](benchmarks-fanout-notes.md) (written by hand).");
        sb.AppendLine();
        sb.AppendLine("Rooted sessions under load (liveness for 60 s, the 10⁷-message soak to 16 leaves, the slow link under " +
                      "MP_POLICY_EVICT), measured case by case: [benchmarks-rooted-load.md](benchmarks-rooted-load.md).");
        sb.AppendLine();
        sb.AppendLine("## Results").AppendLine();
        foreach (var r in results)
        {
            sb.Append(MarkdownTable.Suite(r));
            if (withChart && r.Suite.Name == "fanout")
                sb.AppendLine($"![Fan-out: per-leaf messages/s against N leaves]({ChartFile})").AppendLine()
                  .AppendLine($"Chart: [{ChartFile}]({ChartFile}), drawn by the harness from the medians above.").AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>The directory holding Winsock2.slnx, searched upward from the working directory, then from the binary.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Winsock2.slnx"))) return d.FullName;
        }
        throw new DirectoryNotFoundException("Winsock2.slnx not found above the working directory");
    }
}
