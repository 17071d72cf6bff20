using System.CommandLine;
using System.Globalization;
using Winsock2;
using static Winsock2.Ws2_32;

namespace Ws2;

/// <summary>`ws2 catalog remove ID`, `ws2 catalog order ID...`, `ws2 catalog reset`: the other catalog changes.</summary>
internal static class CatalogEditCommands
{
    public static Command Remove(Option<bool> json)
    {
        var id = new Argument<string>("ID") { Description = "A catalog entry id (its provider is removed) or a provider GUID" };
        id.Validators.Add(r =>
        {
            var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
            if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) && !Guid.TryParse(text, out _))
                r.AddError($"malformed ID '{text}': expected a catalog entry id (e.g. 1001) or a provider GUID");
        });
        var command = new Command("remove", "Remove a provider (every entry it installed) from the persistent catalog") { id, json };
        command.SetAction(r => RunRemove(r.GetValue(id)!, new Report(r.GetValue(json), Console.Out, Console.Error)));
        return command;
    }

    public static Command Order(Option<bool> json)
    {
        var ids = new Argument<uint[]>("ID")
        {
            Description = "Catalog entry ids to put first, in this order; the others follow in their present order",
            Arity = ArgumentArity.OneOrMore, CustomParser = r => Ids(r, "ID"),
        };
        var command = new Command("order", "Reorder the catalog (WSCWriteProviderOrder): which entry WSASocket finds first") { ids, json };
        command.SetAction(r => RunOrder(r.GetValue(ids) ?? [], new Report(r.GetValue(json), Console.Out, Console.Error)));
        return command;
    }

    public static Command Reset(Option<bool> json)
    {
        var command = new Command("reset", "Replace the catalog with the built-in providers (netsh winsock reset)") { json };
        command.SetAction(r => RunReset(new Report(r.GetValue(json), Console.Out, Console.Error)));
        return command;
    }

    /// <summary>Catalog entry ids (decimal); a malformed one is a parse error (exit 2).</summary>
    public static uint[] Ids(System.CommandLine.Parsing.ArgumentResult r, string what)
    {
        var ids = new List<uint>();
        foreach (var t in r.Tokens)
        {
            if (uint.TryParse(t.Value, NumberStyles.None, CultureInfo.InvariantCulture, out uint id)) ids.Add(id);
            else r.AddError($"malformed {what} '{t.Value}': expected a catalog entry id, e.g. 1001");
        }
        return ids.ToArray();
    }

    private static int RunRemove(string text, Report report)
    {
        CatalogCommand.WarnIfUnusable(Console.Error);
        var catalog = CatalogCommand.Entries(report);
        if (catalog is null) return 1;
        Guid provider;
        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint entryId))
        {
            var entry = Array.Find(catalog, e => e.dwCatalogEntryId == entryId);
            if (entry is null) return report.Fail($"cannot remove {text}: no catalog entry has that id ({WSAErrorText(WSAEINVAL)})");
            provider = entry.ProviderId;
        }
        else provider = Guid.Parse(text);

        var removed = catalog.Where(e => e.ProviderId == provider).Select(e => e.dwCatalogEntryId).ToArray();
        if (WSCDeinstallProvider(provider, out int errno) != 0)
        {
            if (removed.Length == 0) return report.Fail($"cannot remove {text}: no provider {provider} is installed ({WSAErrorText(errno)})");
            var users = catalog.Where(e => e.ProviderId != provider && e.ProtocolChain.ChainLen > 1
                                           && e.ProtocolChain.ChainEntries.Take(e.ProtocolChain.ChainLen).Any(removed.Contains))
                .Select(e => e.dwCatalogEntryId.ToString(CultureInfo.InvariantCulture)).ToArray();
            var why = users.Length > 0 && errno == WSAEINVAL ? $": chain {string.Join(", ", users)} still uses it; remove that provider first" : "";
            return report.Fail($"cannot remove provider {provider}{why} ({WSAErrorText(errno)})");
        }
        report.Event("removed", $"removed provider {provider}: entries {string.Join(", ", removed)}", ("providerId", provider), ("ids", removed));
        return 0;
    }

    private static int RunOrder(uint[] first, Report report)
    {
        CatalogCommand.WarnIfUnusable(Console.Error);
        var catalog = CatalogCommand.Entries(report);
        if (catalog is null) return 1;
        var known = catalog.Select(e => e.dwCatalogEntryId).ToArray();
        foreach (var id in first)
            if (Array.IndexOf(known, id) < 0) return report.Fail($"cannot reorder: {id} is not a catalog entry ({WSAErrorText(WSAEINVAL)})");
        if (first.Distinct().Count() != first.Length) return report.Fail($"cannot reorder: an id is given twice ({WSAErrorText(WSAEINVAL)})");
        var order = first.Concat(known.Where(id => Array.IndexOf(first, id) < 0)).ToArray();
        int rc = WSCWriteProviderOrder(order, (uint)order.Length);
        if (rc != 0) return report.Fail($"cannot reorder ({WSAErrorText(rc)})");
        report.Event("order", $"catalog order: {string.Join(" ", order)}", ("ids", order));
        return 0;
    }

    private static int RunReset(Report report)
    {
        if (WinsockCatalog.Reset(out int errno) != 0) return report.Fail($"cannot reset the catalog {WinsockCatalog.FilePath} ({WSAErrorText(errno)})");
        report.Event("reset", $"catalog reset to the built-in providers ({WinsockCatalog.FilePath})", ("path", WinsockCatalog.FilePath));
        return 0;
    }
}
