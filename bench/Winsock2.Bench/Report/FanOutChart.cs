using System.Globalization;
using System.Text;
using Winsock2.Bench.Harness;

namespace Winsock2.Bench.Report;

/// <summary>
/// Draws the fan-out chart as SVG by hand: one panel per message size, per-leaf messages/s (log scale, shared by the
/// panels) against N leaves (log2 scale), one colour per side; leaves on threads solid with circles, leaves in their
/// own processes dashed with squares. A side with no number in a cell (unavailable or failed) has no point there.
/// </summary>
public static class FanOutChart
{
    private const int W = 1000, H = 470, Left = 70, Right = 230, Top = 60, Bottom = 60, Gap = 24;
    private static readonly string[] Colours = ["#d62728", "#1f77b4", "#2ca02c", "#555555", "#9467bd", "#ff7f0e"];

    /// <summary>One side's median per-leaf rate in one cell.</summary>
    public sealed record Point(int Size, int Leaves, bool Children, string Side, double Rate);

    /// <summary>The median per-leaf rate of every side of every fan-out case that has one, and the side names in order.</summary>
    public static (IReadOnlyList<Point> Points, IReadOnlyList<string> Sides) Points(SuiteResult fanOut, Metric perLeaf)
    {
        var points = new List<Point>();
        var sides = new List<string>();
        foreach (var c in fanOut.Cases.Where(c => c.Case.Parameters.ContainsKey("size") && c.Case.Parameters.ContainsKey("leaves")))
        {
            for (int i = 0; i < c.Case.Sides.Count; i++)
            {
                string name = c.Case.Sides[i].Name;
                if (!sides.Contains(name)) sides.Add(name);
                if (c.StatsOf(i, perLeaf) is { Median: > 0 } s)
                    points.Add(new Point(c.Case.Parameters["size"], c.Case.Parameters["leaves"],
                        c.Case.Parameters.GetValueOrDefault("children") == 1, name, s.Median));
            }
        }
        return (points, sides);
    }

    public static string Svg(IReadOnlyList<Point> points, IReadOnlyList<string> sides, string subtitle)
    {
        var leaves = points.Select(p => p.Leaves).Distinct().Order().ToArray();
        var sizes = points.Select(p => p.Size).Distinct().Order().ToArray();
        double lo = points.Count == 0 ? 1 : Math.Floor(Math.Log10(points.Min(p => p.Rate)));
        double hi = points.Count == 0 ? 6 : Math.Ceiling(Math.Log10(points.Max(p => p.Rate)));
        if (hi <= lo) hi = lo + 1;
        double xMin = leaves.Length == 0 ? 0 : Math.Log2(leaves[0]), xMax = leaves.Length == 0 ? 1 : Math.Log2(leaves[^1]);
        if (xMax <= xMin) xMax = xMin + 1;
        int panels = Math.Max(1, sizes.Length);
        double panelWidth = (W - Left - Right - Gap * (panels - 1)) / (double)panels;
        double X(int panel, int n) => Left + panel * (panelWidth + Gap) + 12 + (Math.Log2(n) - xMin) / (xMax - xMin) * (panelWidth - 24);
        double Y(double v) => Top + (hi - Math.Log10(v)) / (hi - lo) * (H - Top - Bottom);

        var sb = new StringBuilder();
        sb.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.AppendLine($"<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/>");
        sb.AppendLine($"<text x=\"{(W - Right + Left) / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">Fan-out: per-leaf messages/s against N leaves, per side</text>");
        sb.AppendLine($"<text x=\"{(W - Right + Left) / 2}\" y=\"38\" text-anchor=\"middle\" fill=\"#555\">{Escape(subtitle)}</text>");
        for (int panel = 0; panel < panels; panel++)
        {
            double x0 = Left + panel * (panelWidth + Gap), x1 = x0 + panelWidth;
            for (double d = lo; d <= hi; d++)
            {
                double y = Y(Math.Pow(10, d));
                sb.AppendLine($"<line x1=\"{F(x0)}\" y1=\"{F(y)}\" x2=\"{F(x1)}\" y2=\"{F(y)}\" stroke=\"#ddd\"/>");
                if (panel == 0) sb.AppendLine($"<text x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{Format.Short(Math.Pow(10, d))}</text>");
            }
            foreach (int n in leaves)
            {
                double x = X(panel, n);
                sb.AppendLine($"<line x1=\"{F(x)}\" y1=\"{Top}\" x2=\"{F(x)}\" y2=\"{H - Bottom}\" stroke=\"#eee\"/>");
                sb.AppendLine($"<text x=\"{F(x)}\" y=\"{H - Bottom + 18}\" text-anchor=\"middle\">{n}</text>");
            }
            sb.AppendLine($"<rect x=\"{F(x0)}\" y=\"{Top}\" width=\"{F(panelWidth)}\" height=\"{H - Top - Bottom}\" fill=\"none\" stroke=\"#333\"/>");
            if (sizes.Length > 0)
                sb.AppendLine($"<text x=\"{F((x0 + x1) / 2)}\" y=\"{Top - 8}\" text-anchor=\"middle\" font-weight=\"bold\">{Format.Size(sizes[panel])} messages</text>");
            for (int s = 0; s < sides.Count; s++)
            {
                foreach (bool children in new[] { false, true })
                {
                    var series = points.Where(p => sizes.Length > 0 && p.Size == sizes[panel] && p.Side == sides[s] && p.Children == children)
                        .OrderBy(p => p.Leaves).Select(p => (X(panel, p.Leaves), Y(p.Rate))).ToArray();
                    Series(sb, series, Colours[s % Colours.Length], children);
                }
            }
        }
        sb.AppendLine($"<text x=\"{(Left + W - Right) / 2}\" y=\"{H - 18}\" text-anchor=\"middle\">N leaves</text>");
        sb.AppendLine($"<text transform=\"translate(18 {(Top + H - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">messages/s per leaf (log)</text>");

        double lx = W - Right + 20;
        int ly = Top + 10;
        for (int s = 0; s < sides.Count; s++)
        {
            bool any = points.Any(p => p.Side == sides[s]);
            Legend(sb, lx, ly, Colours[s % Colours.Length], false, sides[s] + (any ? "" : " (no data)"));
            ly += 20;
        }
        ly += 10;
        Legend(sb, lx, ly, "#333", false, "leaves on threads");
        ly += 20;
        Legend(sb, lx, ly, "#333", true, "leaves in own processes");
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
