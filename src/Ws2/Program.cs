using System.CommandLine;

namespace Ws2;

/// <summary>The `ws2` command-line tool.</summary>
public static class Program
{
    /// <summary>Entry point: parses the command line and runs the command.</summary>
    public static int Main(string[] args)
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per line" };
        var catalog = new Command("catalog", "Print the protocol catalog: id, name, af/type/protocol, decoded XP1_ and PFL_ flags") { json };
        catalog.SetAction(r => CatalogCommand.Run(r.GetValue(json), Console.Out, Console.Error));

        var bench = new Command("bench", "Print the command that runs the benchmark harness (bench/Winsock2.Bench, issue 6)");
        bench.SetAction(_ =>
        {
            Console.Out.WriteLine("From the repository root:");
            Console.Out.WriteLine("  dotnet run -c Release --project bench/Winsock2.Bench -- [all|fanout|join|recv|latency|memory|multicast] [--quick] [--write-docs]");
            return 0;
        });

        var root = new RootCommand("Winsock 2 multipoint sessions on .NET") { catalog, bench };
        return root.Parse(args).Invoke();
    }
}
