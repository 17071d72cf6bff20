namespace Winsock2.Bench.Harness;

/// <summary>All samples of one case, ours and baseline, in the order they ran.</summary>
public sealed class CaseResult(BenchCase benchCase)
{
    public BenchCase Case { get; } = benchCase;
    public List<Sample> Ours { get; } = [];
    public List<Sample> Baseline { get; } = [];

    public string? OursFailure => Ours.FirstOrDefault(s => s.Failure is not null)?.Failure;
    public string? BaselineFailure => Baseline.FirstOrDefault(s => s.Failure is not null)?.Failure;
    public bool Failed => OursFailure is not null || BaselineFailure is not null;

    /// <summary>Null when that side failed a correctness check: a failed side is reported FAILED, never with a rate.</summary>
    public Stats? OursStats(Metric m) => OursFailure is null ? Stats.Of(Ours, m.Name) : null;
    public Stats? BaselineStats(Metric m) => BaselineFailure is null ? Stats.Of(Baseline, m.Name) : null;

    /// <summary>median(ours) / median(baseline); null when either side has no number.</summary>
    public double? Ratio(Metric m) =>
        OursStats(m) is { } o && BaselineStats(m) is { } b && b.Median != 0 ? o.Median / b.Median : null;
}
