using System.CommandLine;

namespace Ws2;

/// <summary>The `ws2` command-line tool.</summary>
public static class Program
{
    /// <summary>Exit code for bad input (unknown option, malformed address): usage is printed.</summary>
    public const int UsageExit = 2;

    /// <summary>Entry point: parses the command line and runs the command.</summary>
    public static async Task<int> Main(string[] args)
    {
        var root = Build();
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) Console.Error.WriteLine("ws2: " + e.Message);
            Console.Error.WriteLine();
            var help = new List<string> { "--help" };
            for (var c = parsed.CommandResult; c is not null && c.Command != root; c = c.Parent as System.CommandLine.Parsing.CommandResult)
                help.Insert(0, c.Command.Name); // "catalog remove --help" for a subcommand
            await root.Parse(help.ToArray()).InvokeAsync(new InvocationConfiguration { Output = Console.Error }).ConfigureAwait(false);
            return UsageExit;
        }
        // The commands handle SIGINT/SIGTERM themselves (a graceful leave), so the parser's own handling is off.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }

    private static RootCommand Build()
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per line, each with an \"event\" field" };
        var bench = new Command("bench", "Print the command that runs the benchmark harness (bench/Winsock2.Bench, issue 6)");
        bench.SetAction(_ =>
        {
            Console.Out.WriteLine("From the repository root:");
            Console.Out.WriteLine("  dotnet run -c Release --project bench/Winsock2.Bench -- [all|fanout|join|recv|latency|memory|multicast] [--quick] [--write-docs]");
            return 0;
        });
        return new RootCommand("Winsock 2 multipoint sessions on .NET")
        {
            DemoCommand.Build(json),
            RootSessionCommand.Build(json),
            LeafSessionCommand.Build(json),
            GroupCommand.Build(json),
            CatalogCommand.Build(json),
            bench,
        };
    }
}
