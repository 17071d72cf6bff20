namespace Winsock2.Bench.Harness;

/// <summary>Which direction of a metric is the good one.</summary>
public enum Better { Higher, Lower }

/// <summary>One measured quantity of a case, e.g. "per-leaf rate" in msg/s, higher is better.</summary>
public sealed record Metric(string Name, string Unit, Better Better)
{
    public string Direction => Better == Better.Higher ? "higher" : "lower";
}
