using System.Globalization;
using System.Text;
using Winsock2.Bench.Harness;

namespace Winsock2.Bench.Report;

/// <summary>
/// Draws the fan-out chart as SVG by hand: per-leaf messages/s (log scale) against N leaves (log2 scale), one colour
/// per message size, baseline solid with circles, ours dashed with squares.
/// </summary>
public static class FanOutChart
{
    private const int W = 760, H = 460, Left = 80, Right = 200, Top = 50, Bottom = 60;
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];

    public sealed record Point(int Size, int Leaves, double? Ours, double? Baseline);

    /// <summary>The median per-leaf rate of every fan-out case that has one.</summary>
    public static IReadOnlyList<Point> Points(SuiteResult fanOut, Metric perLeaf) =>
        fanOut.Cases
            .Where(c => c.Case.Parameters.ContainsKey("size") && c.Case.Parameters.ContainsKey("leaves"))
            .Select(c => new Point(c.Case.Parameters["size"], c.Case.Parameters["leaves"],
                c.OursFailure is null ? c.OursStats(perLeaf)?.Median : null,
                c.BaselineFailure is null ? c.BaselineStats(perLeaf)?.Median : null))
            .ToList();

    public static string Svg(IReadOnlyList<Point> points, string subtitle)
    {
        var values = points.SelectMany(p => new[] { p.Ours, p.Baseline }).OfType<double>().Where(v => v > 0).ToArray();
        var leaves = points.Select(p => p.Leaves).Distinct().Order().ToArray();
        var sizes = points.Select(p => p.Size).Distinct().Order().ToArray();
        double lo = values.Length == 0 ? 1 : Math.Floor(Math.Log10(values.Min()));
        double hi = values.Length == 0 ? 6 : Math.Ceiling(Math.Log10(values.Max()));
        if (hi <= lo) hi = lo + 1;
        double xMin = leaves.Length == 0 ? 0 : Math.Log2(leaves[0]), xMax = leaves.Length == 0 ? 1 : Math.Log2(leaves[^1]);
        if (xMax <= xMin) xMax = xMin + 1;
        double X(int n) => Left + (Math.Log2(n) - xMin) / (xMax - xMin) * (W - Left - Right);
        double Y(double v) => Top + (hi - Math.Log10(v)) / (hi - lo) * (H - Top - Bottom);

        var sb = new StringBuilder();
        sb.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.AppendLine($"<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/>");
        sb.AppendLine($"<text x=\"{W / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">Fan-out: per-leaf messages/s against N leaves</text>");
        sb.AppendLine($"<text x=\"{W / 2}\" y=\"38\" text-anchor=\"middle\" fill=\"#555\">{Escape(subtitle)}</text>");
        for (double d = lo; d <= hi; d++)
        {
            double y = Y(Math.Pow(10, d));
            sb.AppendLine($"<line x1=\"{Left}\" y1=\"{F(y)}\" x2=\"{W - Right}\" y2=\"{F(y)}\" stroke=\"#ddd\"/>");
            sb.AppendLine($"<text x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{Format.Short(Math.Pow(10, d))}</text>");
        }
        foreach (int n in leaves)
        {
            double x = X(n);
            sb.AppendLine($"<line x1=\"{F(x)}\" y1=\"{Top}\" x2=\"{F(x)}\" y2=\"{H - Bottom}\" stroke=\"#eee\"/>");
            sb.AppendLine($"<text x=\"{F(x)}\" y=\"{H - Bottom + 18}\" text-anchor=\"middle\">{n}</text>");
        }
        sb.AppendLine($"<line x1=\"{Left}\" y1=\"{H - Bottom}\" x2=\"{W - Right}\" y2=\"{H - Bottom}\" stroke=\"#333\"/>");
        sb.AppendLine($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{H - Bottom}\" stroke=\"#333\"/>");
        sb.AppendLine($"<text x=\"{(Left + W - Right) / 2}\" y=\"{H - 18}\" text-anchor=\"middle\">N leaves</text>");
        sb.AppendLine($"<text transform=\"translate(18 {(Top + H - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">messages/s per leaf (log)</text>");

        int legendY = Top + 10;
        bool anyOurs = points.Any(p => p.Ours is not null);
        for (int i = 0; i < sizes.Length; i++)
        {
            string colour = Colours[i % Colours.Length];
            var series = points.Where(p => p.Size == sizes[i]).OrderBy(p => p.Leaves).ToArray();
            Series(sb, series.Where(p => p.Baseline is > 0).Select(p => (X(p.Leaves), Y(p.Baseline!.Value))).ToArray(), colour, dashed: false);
            Series(sb, series.Where(p => p.Ours is > 0).Select(p => (X(p.Leaves), Y(p.Ours!.Value))).ToArray(), colour, dashed: true);
            Legend(sb, W - Right + 16, legendY, colour, false, $"{Format.Size(sizes[i])} baseline");
            legendY += 18;
            Legend(sb, W - Right + 16, legendY, colour, true, $"{Format.Size(sizes[i])} ours" + (anyOurs ? "" : " (n/a)"));
            legendY += 24;
        }
        if (!anyOurs)
            sb.AppendLine($"<text x=\"{W - Right + 16}\" y=\"{legendY + 6}\" fill=\"#555\">ours: not yet available</text>");
        sb.AppendLine("</svg>");
        return sb.ToString();
    }

    private static void Series(StringBuilder sb, (double X, double Y)[] pts, string colour, bool dashed)
    {
        if (pts.Length == 0) return;
        string dash = dashed ? " stroke-dasharray=\"6 4\"" : "";
        sb.AppendLine($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash} points=\"{string.Join(' ', pts.Select(p => $"{F(p.X)},{F(p.Y)}"))}\"/>");
        foreach (var (x, y) in pts) sb.AppendLine(Marker(x, y, colour, dashed));
    }

    private static void Legend(StringBuilder sb, double x, double y, string colour, bool dashed, string label)
    {
        string dash = dashed ? " stroke-dasharray=\"6 4\"" : "";
        sb.AppendLine($"<line x1=\"{F(x)}\" y1=\"{F(y)}\" x2=\"{F(x + 28)}\" y2=\"{F(y)}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>");
        sb.AppendLine(Marker(x + 14, y, colour, dashed));
        sb.AppendLine($"<text x=\"{F(x + 36)}\" y=\"{F(y + 4)}\">{Escape(label)}</text>");
    }

    private static string Marker(double x, double y, string colour, bool square) => square
        ? $"<rect x=\"{F(x - 4)}\" y=\"{F(y - 4)}\" width=\"8\" height=\"8\" fill=\"white\" stroke=\"{colour}\" stroke-width=\"2\"/>"
        : $"<circle cx=\"{F(x)}\" cy=\"{F(y)}\" r=\"4\" fill=\"{colour}\"/>";

    private static string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
