using System.Globalization;

namespace Winsock2.Bench.Report;

/// <summary>Number formatting for tables: three significant figures or whole numbers with separators.</summary>
public static class Format
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Number(double v) => double.IsNaN(v) || double.IsInfinity(v) ? "—" : Math.Abs(v) switch
    {
        >= 1000 => v.ToString("N0", Inv),
        >= 100 => v.ToString("F0", Inv),
        >= 10 => v.ToString("F1", Inv),
        >= 1 => v.ToString("F2", Inv),
        0 => "0",
        _ => v.ToString("G3", Inv),
    };

    public static string Ratio(double? r) => r is { } v ? v.ToString("F2", Inv) + "×" : "—";

    /// <summary>Short axis labels: 950, 12k, 3.4M.</summary>
    public static string Short(double v) => v switch
    {
        >= 1e9 => (v / 1e9).ToString("0.#", Inv) + "G",
        >= 1e6 => (v / 1e6).ToString("0.#", Inv) + "M",
        >= 1e3 => (v / 1e3).ToString("0.#", Inv) + "k",
        _ => v.ToString("0.#", Inv),
    };

    public static string Size(int bytes) => bytes < 1024 ? $"{bytes} B" : $"{bytes / 1024} KiB";
}
