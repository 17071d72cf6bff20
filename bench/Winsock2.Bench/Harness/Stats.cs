namespace Winsock2.Bench.Harness;

/// <summary>Median and spread of the successful samples of one metric on one side.</summary>
public readonly record struct Stats(double Median, double Min, double Max, int Count)
{
    public static Stats? Of(IEnumerable<Sample> samples, string metric)
    {
        var v = samples.Where(s => s.Failure is null && s.Values.ContainsKey(metric)).Select(s => s.Values[metric]).Order().ToArray();
        if (v.Length == 0) return null;
        double median = v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
        return new Stats(median, v[0], v[^1], v.Length);
    }

    /// <summary>The p-th percentile (0..100) of a set of observations, nearest rank.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        int rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
