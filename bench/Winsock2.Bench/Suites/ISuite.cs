using Winsock2.Bench.Harness;

namespace Winsock2.Bench.Suites;

/// <summary>A suite of issue 6: its cases (each ours against its baseline) and the notes that explain them.</summary>
public interface ISuite
{
    /// <summary>Command-line name: fanout, join, recv, latency, memory, multicast, iocp.</summary>
    string Name { get; }

    /// <summary>Heading in the report, numbered as in issue 6.</summary>
    string Title { get; }

    IEnumerable<BenchCase> Cases(Options options);

    /// <summary>What the numbers mean: workload, what is timed, how correctness is checked.</summary>
    IEnumerable<string> Notes(Options options);
}
