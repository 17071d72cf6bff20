namespace Winsock2.Bench.Harness;

/// <summary>The command line: which suite, how big, and whether to rewrite docs/benchmarks.md.</summary>
public sealed record Options(string Suite, bool Quick, bool WriteDocs, int Rounds, string CommandLine, string? CaseFilter = null, string? ChartPath = null)
{
    public static readonly string[] SuiteNames = ["fanout", "join", "recv", "latency", "memory", "multicast", "iocp", "rooted-soak"];

    /// <summary>
    /// Parses `[suite] [--quick] [--write-docs] [--rounds N] [--case TEXT] [--chart FILE]`; null (with a message) when the
    /// line is wrong. --chart writes this run's fan-out chart (SVG) to FILE without touching docs/.
    /// </summary>
    public static Options? Parse(string[] args, TextWriter error)
    {
        string suite = "all";
        bool quick = false, writeDocs = false;
        int rounds = 0;
        string? caseFilter = null, chart = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--write-docs": writeDocs = true; break;
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], out rounds) && rounds is > 0 and <= 50: i++; break;
                case "--case" when i + 1 < args.Length: caseFilter = args[++i]; break;
                case "--chart" when i + 1 < args.Length: chart = args[++i]; break;
                case var s when !s.StartsWith('-') && Normalize(s) is { } name: suite = name; break;
                default:
                    error.WriteLine($"unknown argument '{args[i]}'");
                    error.WriteLine("usage: Winsock2.Bench [all|fanout|join|recv|latency|memory|multicast|iocp|rooted-soak|1-8] [--quick] [--write-docs] [--rounds N] [--case TEXT] [--chart FILE]");
                    return null;
            }
        }
        if (rounds == 0) rounds = quick ? 2 : 5;
        var line = "dotnet run -c Release --project bench/Winsock2.Bench -- " + string.Join(' ', args);
        if (caseFilter is not null && writeDocs)
        {
            error.WriteLine("--case runs part of a suite: it cannot rewrite docs/benchmarks.md (--write-docs)");
            return null;
        }
        return new Options(suite, quick, writeDocs, rounds, line.TrimEnd(), caseFilter, chart);
    }

    /// <summary>Accepts a suite by name or by its number (1 fan-out … 6 multicast, 7 IOCP echo).</summary>
    private static string? Normalize(string s) => s.ToLowerInvariant() switch
    {
        "all" => "all",
        "1" or "fanout" or "fan-out" => "fanout",
        "2" or "join" => "join",
        "3" or "recv" or "receive" => "recv",
        "4" or "latency" => "latency",
        "5" or "memory" => "memory",
        "6" or "multicast" => "multicast",
        "7" or "iocp" => "iocp",
        "8" or "rooted-soak" or "soak" => "rooted-soak",
        _ => null,
    };

    public bool Runs(string suite) => Suite == "all" || Suite == suite;

    /// <summary>True for the cases to run: all, or (--case) those whose name contains the text, ignoring case.</summary>
    public bool RunsCase(string name) => CaseFilter is null || name.Contains(CaseFilter, StringComparison.OrdinalIgnoreCase);
}
