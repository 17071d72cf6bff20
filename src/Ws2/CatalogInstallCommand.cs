using System.CommandLine;
using Winsock2;
using static Winsock2.Ws2_32;

namespace Ws2;

/// <summary>
/// `ws2 catalog install PATH [--over ID...] [--provider-id GUID]`: installs the provider an assembly's
/// <see cref="IWSPProviderSetup"/> describes. A base provider's entries go in with WSCInstallProvider; a layered provider
/// (one LAYERED_PROTOCOL entry) with WSCInstallProviderAndChains over the given base entries, by default every one.
/// </summary>
internal static class CatalogInstallCommand
{
    public static Command Build(Option<bool> json)
    {
        var path = new Argument<string>("PATH")
        {
            Description = "The provider's assembly, or ASSEMBLY!Namespace.Type; a bare file name is looked up beside the Winsock2 assemblies",
        };
        var over = new Option<uint[]>("--over")
        {
            Description = "A layered provider: the catalog ids of the base entries (or chains) to layer over; default every base entry",
            HelpName = "ID", AllowMultipleArgumentsPerToken = true, CustomParser = r => CatalogEditCommands.Ids(r, "--over ID"),
        };
        var providerId = new Option<Guid?>("--provider-id")
        {
            Description = "Install under this provider GUID instead of the one the provider's setup names", HelpName = "GUID",
        };
        var command = new Command("install", "Install a provider from its assembly into the persistent catalog") { path, over, providerId, json };
        command.SetAction(r => Run(r.GetValue(path)!, r.GetValue(over) ?? [], r.GetValue(providerId),
            new Report(r.GetValue(json), Console.Out, Console.Error)));
        return command;
    }

    /// <summary>
    /// A path naming a directory (it has a '/') is made absolute from the current directory, as a shell user means it;
    /// a bare file name stays relative to the Winsock2 assemblies, as a bare DLL name is looked up in system32.
    /// </summary>
    public static string CatalogPath(string path)
    {
        int bang = path.LastIndexOf('!');
        var (file, type) = bang > 0 ? (path[..bang], path[bang..]) : (path, "");
        return file.Contains('/') ? Path.GetFullPath(file) + type : path;
    }

    private static int Run(string argument, uint[] over, Guid? providerId, Report report)
    {
        CatalogCommand.WarnIfUnusable(Console.Error);
        var path = CatalogPath(argument);
        IWSPProviderSetup? setup;
        try
        {
            var provider = ProviderModule.Create(path, out string? reason);
            if (provider is null) return report.Fail($"cannot install {argument}: {reason}");
            setup = provider as IWSPProviderSetup;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return report.Fail($"cannot install {argument}: {e.Message}");
        }
        if (setup is null) return report.Fail($"cannot install {argument}: its provider has no IWSPProviderSetup to say what to install");
        var infos = setup.GetProtocolInfos();
        var id = providerId ?? setup.ProviderId;
        bool layered = infos.Length == 1 && infos[0].ProtocolChain.ChainLen == LAYERED_PROTOCOL;
        if (!layered && over.Length > 0) return report.Fail($"--over is for a layered provider; {argument} is a base provider", Program.UsageExit);

        var catalog = CatalogCommand.Entries(report);
        if (catalog is null) return 1;
        if (Array.Exists(catalog, e => e.ProviderId == id))
            return report.Fail($"cannot install {argument}: provider {id} is already installed (--provider-id installs another copy) ({WSAErrorText(WSAEINVAL)})");
        int rc, errno;
        if (layered)
        {
            var targets = new List<WSAPROTOCOL_INFOW>();
            foreach (var wanted in over)
            {
                var entry = Array.Find(catalog, e => e.dwCatalogEntryId == wanted);
                if (entry is null || entry.ProtocolChain.ChainLen == LAYERED_PROTOCOL)
                    return report.Fail($"cannot install {argument}: --over {wanted} is not a base entry or chain of the catalog");
                targets.Add(entry);
            }
            if (over.Length == 0) targets.AddRange(catalog.Where(e => e.ProtocolChain.ChainLen == BASE_PROTOCOL));
            if (targets.Count == 0) return report.Fail($"cannot install {argument}: the catalog has no base entry to layer over");
            rc = WSCInstallProviderAndChains(id, path, infos[0].szProtocol, infos[0].dwServiceFlags1, targets.ToArray(), (uint)targets.Count,
                out _, out errno);
        }
        else
        {
            rc = WSCInstallProvider(id, path, infos, (uint)infos.Length, out errno);
        }
        if (rc != 0) return report.Fail($"cannot install {argument} as provider {id} ({WSAErrorText(errno)})");

        foreach (var e in CatalogCommand.Entries(report)?.Where(e => e.ProviderId == id) ?? [])
        {
            report.Event("installed", $"installed {e.dwCatalogEntryId,5}  {e.szProtocol}",
                ("id", e.dwCatalogEntryId), ("name", e.szProtocol), ("chainLen", e.ProtocolChain.ChainLen), ("providerId", id), ("path", path));
        }
        return 0;
    }
}
