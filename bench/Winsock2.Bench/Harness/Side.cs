namespace Winsock2.Bench.Harness;

/// <summary>
/// One side of a case: a named implementation measured on the case's workload. <see cref="Run"/> is null while the
/// side cannot run on this build; <see cref="Unavailable"/> then says why, and the report shows that instead of a number.
/// </summary>
public sealed record Side(string Name, string Label, Func<Sample>? Run, string? Unavailable = null);
