using System.Diagnostics;
using Winsock2.Bench.Harness;
using Winsock2.Bench.Report;
using Winsock2.Bench.Suites;
using static Winsock2.Ws2_32;

namespace Winsock2.Bench;

/// <summary>
/// Benchmark harness (issue 6): `dotnet run -c Release --project bench/Winsock2.Bench -- [suite] [--quick] [--write-docs]`.
/// Exit code 1 only when a correctness check failed; timing never fails a run.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == ChildProcess.Flag) return ChildProcess.Run(args[1..]);
        var options = Options.Parse(args, Console.Error);
        if (options is null) return 2;
        if (WSAStartup(0x0202, out _) != 0)
        {
            Console.Error.WriteLine($"WSAStartup failed: {WSAGetLastError()}");
            return 2;
        }
        try
        {
            return Run(options);
        }
        finally
        {
            WSACleanup();
            Baselines.NetMqFanOut.Cleanup();
        }
    }

    private static int Run(Options options)
    {
        ISuite[] suites = [new FanOutSuite(), new JoinSuite(), new RecvSuite(), new LatencySuite(), new MemorySuite(), new MulticastSuite(), new IocpSuite(), new RootedSoakSuite()];
        var started = Stopwatch.StartNew();
        var results = new List<SuiteResult>();
        Console.Error.WriteLine($"Winsock2.Bench: {options.Suite}{(options.Quick ? " --quick" : "")}, {options.Rounds} rounds");
        foreach (var suite in suites.Where(s => options.Runs(s.Name)))
        {
            var cases = suite.Cases(options).Where(c => options.RunsCase(c.Name)).Select(c => Alternator.Run(c, options, Console.Error)).ToList();
            results.Add(new SuiteResult(suite, cases, suite.Notes(options).ToList()));
        }
        foreach (var r in results) Console.Out.Write(MarkdownTable.Suite(r));
        foreach (var goal in Goals.Lines(results).Where(g => !g.EndsWith(": not run.", StringComparison.Ordinal)))
            Console.Error.WriteLine($"goal: {goal}");
        Console.Error.WriteLine($"Winsock2.Bench: {started.Elapsed.TotalSeconds:F1} s");

        if (options.WriteDocs || options.ChartPath is not null)
        {
            var machine = MachineInfo.Collect();
            var fan = results.FirstOrDefault(r => r.Suite.Name == "fanout");
            var points = fan is null ? default : FanOutChart.Points(fan, FanOutSuite.PerLeaf);
            string? svg = fan is null ? null : FanOutChart.Svg(points.Points, points.Sides,
                $"{machine.Cores} cores, {machine.Date:yyyy-MM-dd}; medians of this run; raw = hand-batched System.Net.Sockets");
            if (options.ChartPath is { } chart && svg is not null)
            {
                File.WriteAllText(chart, svg);
                Console.Error.WriteLine($"wrote {chart}");
            }
            if (options.WriteDocs) Console.Error.WriteLine($"wrote {DocsWriter.Write(options, machine, results, svg)}");
        }

        var failed = results.SelectMany(r => r.Cases).Where(c => c.Failed).ToList();
        foreach (var c in failed)
            for (int i = 0; i < c.Case.Sides.Count; i++)
                if (c.Failure(i) is { } why) Console.Error.WriteLine($"FAILED: {c.Case.Suite} · {c.Case.Name} · {c.Case.Sides[i].Name}: {why}");
        return failed.Count == 0 ? 0 : 1;
    }
}
