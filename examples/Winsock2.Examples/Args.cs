using System.Globalization;

namespace Winsock2.Examples;

/// <summary>The C programs' <c>argc &gt; i ? atoi(argv[i]) : default</c>.</summary>
internal static class Args
{
    /// <summary>Positional argument <paramref name="i"/> as an integer, else <paramref name="fallback"/>.</summary>
    public static int Int(string[] args, int i, int fallback) =>
        args.Length > i && int.TryParse(args[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : fallback;
}
