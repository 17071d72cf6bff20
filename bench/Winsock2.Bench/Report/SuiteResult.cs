using Winsock2.Bench.Harness;
using Winsock2.Bench.Suites;

namespace Winsock2.Bench.Report;

/// <summary>A suite's case results and notes, as they go into the report.</summary>
public sealed record SuiteResult(ISuite Suite, IReadOnlyList<CaseResult> Cases, IReadOnlyList<string> Notes)
{
    public bool Failed => Cases.Any(c => c.Failed);
}
