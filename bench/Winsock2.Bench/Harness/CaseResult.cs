namespace Winsock2.Bench.Harness;

/// <summary>All samples of one case, per side (ours, extra sides, baseline), in the order they ran.</summary>
public sealed class CaseResult
{
    private readonly List<Sample>[] _samples;

    public CaseResult(BenchCase benchCase)
    {
        Case = benchCase;
        _samples = benchCase.Sides.Select(_ => new List<Sample>()).ToArray();
    }

    public BenchCase Case { get; }
    public int BaselineIndex => _samples.Length - 1;

    public List<Sample> Samples(int side) => _samples[side];
    public List<Sample> Ours => _samples[0];
    public List<Sample> Baseline => _samples[BaselineIndex];

    /// <summary>The first correctness failure of a side, or null.</summary>
    public string? Failure(int side) => _samples[side].FirstOrDefault(s => s.Failure is not null)?.Failure;
    public string? OursFailure => Failure(0);
    public string? BaselineFailure => Failure(BaselineIndex);
    public bool Failed => Enumerable.Range(0, _samples.Length).Any(i => Failure(i) is not null);

    /// <summary>Null when that side failed a correctness check: a failed side is reported FAILED, never with a rate.</summary>
    public Stats? StatsOf(int side, Metric m) => Failure(side) is null ? Stats.Of(_samples[side], m.Name) : null;
    public Stats? OursStats(Metric m) => StatsOf(0, m);
    public Stats? BaselineStats(Metric m) => StatsOf(BaselineIndex, m);

    /// <summary>median(side) / median(baseline); null when either side has no number.</summary>
    public double? RatioOf(int side, Metric m) =>
        StatsOf(side, m) is { } o && BaselineStats(m) is { } b && b.Median != 0 ? o.Median / b.Median : null;
    public double? Ratio(Metric m) => RatioOf(0, m);

    /// <summary>The index of the side named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        for (int i = 0; i < Case.Sides.Count; i++) if (Case.Sides[i].Name == name) return i;
        return -1;
    }
}
