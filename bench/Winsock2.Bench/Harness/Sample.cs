namespace Winsock2.Bench.Harness;

/// <summary>What one run of one side produced: a value per metric, or the correctness failure that voids it.</summary>
public sealed class Sample
{
    private readonly Dictionary<string, double> _values = [];

    public string? Failure { get; private init; }

    public IReadOnlyDictionary<string, double> Values => _values;

    public static Sample Fail(string why) => new() { Failure = why };

    public Sample Set(string metric, double value)
    {
        _values[metric] = value;
        return this;
    }
}
