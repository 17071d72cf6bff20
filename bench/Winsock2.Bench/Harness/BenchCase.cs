namespace Winsock2.Bench.Harness;

/// <summary>
/// One comparison: our code and its baseline measured on the same workload. <see cref="Ours"/> is null while our
/// side does not exist yet; <see cref="OursUnavailable"/> then says why, and the report shows that instead of a number.
/// </summary>
public sealed class BenchCase
{
    public required string Suite { get; init; }
    public required string Name { get; init; }
    public required string OursLabel { get; init; }
    public required string BaselineLabel { get; init; }
    public required IReadOnlyList<Metric> Metrics { get; init; }
    public required Func<Sample> Baseline { get; init; }
    public Func<Sample>? Ours { get; init; }
    public string? OursUnavailable { get; init; }

    /// <summary>Free-form parameters the chart reads (fan-out: "leaves", "size").</summary>
    public IReadOnlyDictionary<string, int> Parameters { get; init; } = new Dictionary<string, int>();
}
