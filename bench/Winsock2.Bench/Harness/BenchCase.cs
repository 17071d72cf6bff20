namespace Winsock2.Bench.Harness;

/// <summary>
/// One comparison: our code and its baseline measured on the same workload. <see cref="Ours"/> is null while our
/// side does not exist yet; <see cref="OursUnavailable"/> then says why, and the report shows that instead of a number.
/// A case may measure more sides (<see cref="Extra"/>, e.g. a second path of ours or another library); every side is
/// reported against the baseline.
/// </summary>
public sealed class BenchCase
{
    private IReadOnlyList<Side>? _sides;

    public required string Suite { get; init; }
    public required string Name { get; init; }
    public required string OursLabel { get; init; }
    public required string BaselineLabel { get; init; }
    public required IReadOnlyList<Metric> Metrics { get; init; }
    public required Func<Sample> Baseline { get; init; }
    public Func<Sample>? Ours { get; init; }
    public string? OursUnavailable { get; init; }

    /// <summary>Short names of our side and the baseline in multi-side tables and charts.</summary>
    public string OursName { get; init; } = "ours";
    public string BaselineName { get; init; } = "baseline";

    /// <summary>Further sides, measured in the same alternation between ours and the baseline.</summary>
    public IReadOnlyList<Side> Extra { get; init; } = [];

    /// <summary>Every side in the order they run: ours, the extra sides, the baseline (always last).</summary>
    public IReadOnlyList<Side> Sides => _sides ??=
        [new Side(OursName, OursLabel, Ours, OursUnavailable), .. Extra, new Side(BaselineName, BaselineLabel, Baseline)];

    /// <summary>Free-form parameters the chart reads (fan-out: "leaves", "size", "children").</summary>
    public IReadOnlyDictionary<string, int> Parameters { get; init; } = new Dictionary<string, int>();
}
