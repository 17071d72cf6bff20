namespace Winsock2.Runtime;

/// <summary>
/// The service and protocol databases (Windows keeps them in %SystemRoot%\system32\drivers\etc; here /etc/services
/// and /etc/protocols, read once). Where a file is missing, a few well-known entries stand in for it.
/// </summary>
internal static class NetDb
{
    public sealed record Service(string Name, string[] Aliases, int Port, string Protocol);
    public sealed record Protocol(string Name, string[] Aliases, int Number);

    private static readonly Service[] FallbackServices =
    [
        new("echo", [], 7, "tcp"), new("echo", [], 7, "udp"), new("discard", ["sink", "null"], 9, "tcp"),
        new("discard", ["sink", "null"], 9, "udp"), new("ftp", [], 21, "tcp"), new("ssh", [], 22, "tcp"),
        new("telnet", [], 23, "tcp"), new("smtp", ["mail"], 25, "tcp"), new("domain", [], 53, "tcp"),
        new("domain", [], 53, "udp"), new("http", ["www"], 80, "tcp"), new("pop3", ["pop-3"], 110, "tcp"),
        new("ntp", [], 123, "udp"), new("imap", ["imap2"], 143, "tcp"), new("https", [], 443, "tcp"),
    ];

    private static readonly Protocol[] FallbackProtocols =
    [
        new("ip", ["IP"], 0), new("icmp", ["ICMP"], 1), new("tcp", ["TCP"], 6), new("udp", ["UDP"], 17),
        new("ipv6", ["IPv6"], 41), new("ipv6-icmp", ["IPv6-ICMP"], 58),
    ];

    private static readonly Lazy<Service[]> Services = new(() => Read("/etc/services", ParseService, FallbackServices));
    private static readonly Lazy<Protocol[]> Protocols = new(() => Read("/etc/protocols", ParseProtocol, FallbackProtocols));

    public static Service? ServiceByName(string name, string? protocol) =>
        Array.Find(Services.Value, s => (protocol is null || s.Protocol.Equals(protocol, StringComparison.OrdinalIgnoreCase))
            && (s.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || Array.Exists(s.Aliases, a => a.Equals(name, StringComparison.OrdinalIgnoreCase))));

    public static Service? ServiceByPort(int port, string? protocol) =>
        Array.Find(Services.Value, s => s.Port == port && (protocol is null || s.Protocol.Equals(protocol, StringComparison.OrdinalIgnoreCase)));

    public static Protocol? ProtocolByName(string name) =>
        Array.Find(Protocols.Value, p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
            || Array.Exists(p.Aliases, a => a.Equals(name, StringComparison.OrdinalIgnoreCase)));

    public static Protocol? ProtocolByNumber(int number) => Array.Find(Protocols.Value, p => p.Number == number);

    private static T[] Read<T>(string path, Func<string[], T?> parse, T[] fallback) where T : class
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return fallback; }
        var list = new List<T>();
        foreach (var raw in lines)
        {
            int hash = raw.IndexOf('#');
            var fields = (hash < 0 ? raw : raw[..hash]).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && parse(fields) is { } entry) list.Add(entry);
        }
        return list.Count > 0 ? list.ToArray() : fallback;
    }

    private static Service? ParseService(string[] f)
    {
        int slash = f[1].IndexOf('/');
        if (slash <= 0 || !int.TryParse(f[1][..slash], out int port) || port is < 0 or > 65535) return null;
        return new Service(f[0], f[2..], port, f[1][(slash + 1)..]);
    }

    private static Protocol? ParseProtocol(string[] f) =>
        int.TryParse(f[1], out int n) && n is >= 0 and <= 255 ? new Protocol(f[0], f[2..], n) : null;
}
