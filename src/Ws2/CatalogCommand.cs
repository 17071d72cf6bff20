using System.CommandLine;
using System.Text.Json;
using static Winsock2.Ws2_32;

namespace Ws2;

/// <summary>`ws2 catalog`: every protocol catalog entry with its id, name, triple and decoded flags (and the subcommands).</summary>
internal static class CatalogCommand
{
    private static readonly (uint Bit, string Name)[] Xp1 =
    [
        (XP1_CONNECTIONLESS, "CONNECTIONLESS"), (XP1_GUARANTEED_DELIVERY, "GUARANTEED_DELIVERY"),
        (XP1_GUARANTEED_ORDER, "GUARANTEED_ORDER"), (XP1_MESSAGE_ORIENTED, "MESSAGE_ORIENTED"),
        (XP1_PSEUDO_STREAM, "PSEUDO_STREAM"), (XP1_GRACEFUL_CLOSE, "GRACEFUL_CLOSE"),
        (XP1_EXPEDITED_DATA, "EXPEDITED_DATA"), (XP1_CONNECT_DATA, "CONNECT_DATA"),
        (XP1_DISCONNECT_DATA, "DISCONNECT_DATA"), (XP1_SUPPORT_BROADCAST, "SUPPORT_BROADCAST"),
        (XP1_SUPPORT_MULTIPOINT, "SUPPORT_MULTIPOINT"), (XP1_MULTIPOINT_CONTROL_PLANE, "MULTIPOINT_CONTROL_PLANE"),
        (XP1_MULTIPOINT_DATA_PLANE, "MULTIPOINT_DATA_PLANE"), (XP1_QOS_SUPPORTED, "QOS_SUPPORTED"),
        (XP1_INTERRUPT, "INTERRUPT"), (XP1_UNI_SEND, "UNI_SEND"), (XP1_UNI_RECV, "UNI_RECV"),
        (XP1_IFS_HANDLES, "IFS_HANDLES"), (XP1_PARTIAL_MESSAGE, "PARTIAL_MESSAGE"),
    ];

    private static readonly (uint Bit, string Name)[] Pfl =
    [
        (PFL_MULTIPLE_PROTO_ENTRIES, "MULTIPLE_PROTO_ENTRIES"), (PFL_RECOMMENDED_PROTO_ENTRY, "RECOMMENDED_PROTO_ENTRY"),
        (PFL_HIDDEN, "HIDDEN"), (PFL_MATCHES_PROTOCOL_ZERO, "MATCHES_PROTOCOL_ZERO"),
    ];

    public static string[] Decode(uint flags, (uint Bit, string Name)[] table, string prefix) =>
        table.Where(t => (flags & t.Bit) != 0).Select(t => prefix + t.Name).ToArray();

    public static string Family(int af) => af switch { AF_INET => "AF_INET", AF_INET6 => "AF_INET6", _ => af.ToString() };

    public static string Type(int type) => type switch
    {
        SOCK_STREAM => "SOCK_STREAM", SOCK_DGRAM => "SOCK_DGRAM", SOCK_RAW => "SOCK_RAW", SOCK_RDM => "SOCK_RDM",
        SOCK_SEQPACKET => "SOCK_SEQPACKET", _ => type.ToString(),
    };

    /// <summary>`ws2 catalog` and its subcommands install, remove, order, reset.</summary>
    public static Command Build(Option<bool> json)
    {
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also print each entry's provider id and catalog path" };
        var catalog = new Command("catalog",
            "Print the protocol catalog: id, name, af/type/protocol, decoded XP1_ and PFL_ flags; subcommands change it")
        {
            json, verbose,
            CatalogInstallCommand.Build(json),
            CatalogEditCommands.Remove(json),
            CatalogEditCommands.Order(json),
            CatalogEditCommands.Reset(json),
        };
        catalog.SetAction(r => Run(r.GetValue(json), r.GetValue(verbose), Console.Out, Console.Error));
        return catalog;
    }

    /// <summary>One warning line on stderr when the catalog file could not be used (the defaults are shown instead).</summary>
    public static void WarnIfUnusable(TextWriter error)
    {
        if (Winsock2.WinsockCatalog.LoadError is not { } problem) return;
        error.WriteLine($"ws2: warning: {problem}; using the built-in defaults (`ws2 catalog reset` rewrites it)");
        error.Flush();
    }

    /// <summary>
    /// Every entry as WSCEnumProtocols returns it (null and a reported error when it fails). Another process may install
    /// between the size query and the read (WSAENOBUFS again): then it asks again, a bounded number of times.
    /// </summary>
    public static Winsock2.WSAPROTOCOL_INFOW[]? Entries(Report report)
    {
        int errno = 0;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            uint len = 0;
            if (WSCEnumProtocols(null, null, ref len, out errno) != SOCKET_ERROR || errno != WSAENOBUFS) break;
            var entries = new Winsock2.WSAPROTOCOL_INFOW[len / Winsock2.WSAPROTOCOL_INFOW.Size];
            int n = WSCEnumProtocols(null, entries, ref len, out errno);
            if (n != SOCKET_ERROR) return entries[..n];
            if (errno != WSAENOBUFS) break;
        }
        report.Fail($"cannot read the catalog ({WSAErrorText(errno)})");
        return null;
    }

    /// <summary>The catalog path an entry's provider was installed with ("" when it cannot be told).</summary>
    public static string PathOf(Winsock2.WSAPROTOCOL_INFOW e) => WSCGetProviderPath(e.ProviderId, out string path, out _) == 0 ? path : "";

    public static int Run(bool json, bool verbose, TextWriter output, TextWriter error)
    {
        WarnIfUnusable(error);
        var entries = Entries(new Report(json, output, error));
        if (entries is null) return 1;
        foreach (var e in entries)
        {
            var xp1 = Decode(e.dwServiceFlags1, Xp1, "XP1_");
            var pfl = Decode(e.dwProviderFlags, Pfl, "PFL_");
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    @event = "catalog-entry", id = e.dwCatalogEntryId, name = e.szProtocol,
                    af = Family(e.iAddressFamily), type = Type(e.iSocketType), protocol = e.iProtocol,
                    chainLen = e.ProtocolChain.ChainLen, chain = e.ProtocolChain.ChainEntries.Take(Math.Max(0, e.ProtocolChain.ChainLen)).ToArray(),
                    messageSize = e.dwMessageSize, xp1, pfl, providerId = e.ProviderId, path = PathOf(e),
                }));
                continue;
            }
            output.WriteLine($"{e.dwCatalogEntryId,5}  {e.szProtocol}");
            output.WriteLine($"       {Family(e.iAddressFamily)} / {Type(e.iSocketType)} / protocol {e.iProtocol}" +
                             $"   chain {e.ProtocolChain.ChainLen}   max message {(e.dwMessageSize == 0 ? "stream" : e.dwMessageSize.ToString())}");
            output.WriteLine($"       {string.Join(" | ", xp1)}");
            if (pfl.Length > 0) output.WriteLine($"       {string.Join(" | ", pfl)}");
            if (verbose) output.WriteLine($"       provider {e.ProviderId}   path {PathOf(e)}");
        }
        return 0;
    }
}
