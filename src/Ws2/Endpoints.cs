using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;

namespace Ws2;

/// <summary>HOST:PORT arguments: an IPv4 address, [IPv6], or localhost, and a port 0..65535.</summary>
internal static class Endpoints
{
    public static bool TryParse(string text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return false;
        var host = text[..colon];
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535) return false;
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':')) return false; // an IPv6 address needs brackets
        IPAddress? address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var a) ? a : null;
        if (address is null) return false;
        endPoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>"127.0.0.1:5150" or "[::1]:5150".</summary>
    public static string Show(IPEndPoint? ep) => ep?.ToString() ?? "?";

    private static string Malformed(string option, string text) =>
        $"malformed address '{text}' for {option}: expected HOST:PORT, e.g. 127.0.0.1:5150";

    /// <summary>An option taking one HOST:PORT; a malformed one is a parse error (exit 2).</summary>
    public static Option<IPEndPoint?> Option(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "HOST:PORT",
        CustomParser = r => Parse(r, name),
    };

    /// <summary>An option that may be given several times, each with one HOST:PORT.</summary>
    public static Option<IPEndPoint[]> Many(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "HOST:PORT",
        AllowMultipleArgumentsPerToken = false,
        CustomParser = r => r.Tokens.Select(t => TryParse(t.Value, out var ep) ? ep : Error(r, name, t.Value)).OfType<IPEndPoint>().ToArray(),
    };

    /// <summary>An option taking one IP address (no port).</summary>
    public static Option<IPAddress?> Address(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "ADDR",
        CustomParser = r =>
        {
            var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
            if (IPAddress.TryParse(text, out var a)) return a;
            r.AddError($"malformed address '{text}' for {name}: expected an IP address, e.g. 127.0.0.1");
            return null;
        },
    };

    private static IPEndPoint? Parse(ArgumentResult r, string name)
    {
        var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
        return TryParse(text, out var ep) ? ep : Error(r, name, text);
    }

    private static IPEndPoint? Error(ArgumentResult r, string name, string text)
    {
        r.AddError(Malformed(name, text));
        return null;
    }
}
