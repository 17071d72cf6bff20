using System.Diagnostics;
using System.Text;

namespace Winsock2.Tests.Packaging;

/// <summary>A fact that needs the `dotnet` CLI: skipped, with the reason, when there is none.</summary>
public sealed class DotnetFactAttribute : FactAttribute
{
    public DotnetFactAttribute()
    {
        if (Dotnet.Path is null) Skip = "the dotnet CLI is not available (not on PATH, no DOTNET_HOST_PATH)";
    }
}

/// <summary>Finding and running the `dotnet` CLI with a bounded wait.</summary>
public static class Dotnet
{
    /// <summary>The dotnet executable: DOTNET_HOST_PATH (set by `dotnet test`), else the first on PATH.</summary>
    public static readonly string? Path = Find();

    private static string? Find()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var candidate = System.IO.Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The .NET root (the folder of the real dotnet executable), for the tool's apphost.</summary>
    public static string Root => System.IO.Path.GetDirectoryName(
        new FileInfo(Path!).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path!)!;

    /// <summary>Runs a program to its end within <paramref name="timeout"/>, killing its process tree otherwise.</summary>
    public static (int Exit, string Output) Run(string fileName, IEnumerable<string> args, string workingDirectory,
        TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
            RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // The test host runs under `dotnet test`: its MSBuild variables must not steer the nested builds.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(key);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = psi };
        process.Start();
        process.StandardInput.Close();
        Action<string> add = line => { lock (output) output.AppendLine(line); };
        Thread[] readers =
        [
            ChildLines.Start(process.StandardOutput, add, static () => { }, "child stdout"),
            ChildLines.Start(process.StandardError, add, static () => { }, "child stderr"),
        ];
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            foreach (var r in readers) r.Join(TimeSpan.FromSeconds(10));
            lock (output) return (-1, $"timed out after {timeout}: {fileName} {string.Join(' ', args)}\n{output}");
        }
        foreach (var r in readers) r.Join(TimeSpan.FromSeconds(30)); // the output is drained
        lock (output) return (process.ExitCode, output.ToString());
    }
}

/// <summary>
/// The packages as users get them, packed once for the class: the sources are copied to a temporary folder and
/// packed there, so the worktree's bin/obj are not touched, with a unique prerelease version per run, so the
/// machine's NuGet cache cannot hand back an older package.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);
    private readonly Lazy<string> _packages;

    public PackedPackages()
    {
        Temp = Directory.CreateTempSubdirectory("ws2-pack-");
        Version = $"0.9.0-test.{DateTime.UtcNow.Ticks}";
        _packages = new Lazy<string>(Pack);
    }

    public DirectoryInfo Temp { get; }

    public string Version { get; }

    /// <summary>The folder holding Winsock2.Tool and Winsock2 packed at <see cref="Version"/> (packed on first use).</summary>
    public string Packages => _packages.Value;

    private string Pack()
    {
        var dotnet = Dotnet.Path!;
        var sources = System.IO.Path.Combine(Temp.FullName, "repo");
        var packages = System.IO.Path.Combine(Temp.FullName, "packages");
        Directory.CreateDirectory(sources);
        CopySources(Architecture.AssemblyReferenceTests.RepositoryRoot(), sources);
        // Winsock2.Tool carries everything it runs with (the API layer, the async surface, the providers);
        // Winsock2 is packed too, for its nuspec (the second pack only packs: the first built everything).
        foreach (var project in new[] { "src/Ws2/Ws2.csproj", "src/Winsock2/Winsock2.csproj" })
        {
            var (exit, output) = Dotnet.Run(dotnet,
                ["pack", System.IO.Path.Combine(sources, project), "-c", "Release", "-o", packages,
                 $"-p:Version={Version}", "--disable-build-servers", "-nodeReuse:false"],
                sources, PackTimeout);
            Assert.True(exit == 0, $"dotnet pack {project} failed ({exit}):\n{output}");
        }
        return packages;
    }

    /// <summary>Copies what packing needs (root props/targets/config, src/) without bin/ and obj/.</summary>
    private static void CopySources(string root, string destination)
    {
        foreach (var file in Directory.GetFiles(root))
        {
            var name = System.IO.Path.GetFileName(file);
            if (name.StartsWith("Directory.Build.", StringComparison.Ordinal) || name.Equals("global.json", StringComparison.OrdinalIgnoreCase)
                || name.Equals("nuget.config", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Directory.Packages.", StringComparison.Ordinal)
                || name == "README.md")
                File.Copy(file, System.IO.Path.Combine(destination, name));
        }
        CopyTree(System.IO.Path.Combine(root, "src"), System.IO.Path.Combine(destination, "src"));
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from))
        {
            var name = System.IO.Path.GetFileName(dir);
            if (name is "bin" or "obj" || name.StartsWith('.')) continue;
            CopyTree(dir, System.IO.Path.Combine(to, name));
        }
    }

    public void Dispose()
    {
        try { Temp.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The `ws2` tool and the Winsock2 package as users get them (about a minute: one pack per run).</summary>
public class ToolPackageTests(PackedPackages packed) : IClassFixture<PackedPackages>
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    [DotnetFact]
    public void WS2Tool_PackedAndInstalled_ListsTheCatalog()
    {
        var dotnet = Dotnet.Path!;
        var packages = packed.Packages;
        var version = packed.Version;
        Assert.True(File.Exists(System.IO.Path.Combine(packages, $"Winsock2.Tool.{version}.nupkg")), "no Winsock2.Tool package");
        var tools = System.IO.Path.Combine(packed.Temp.FullName, "tools");

        // Install from the packed folder only (--source replaces every configured source: offline-safe).
        var (installExit, installOutput) = Dotnet.Run(dotnet,
            ["tool", "install", "Winsock2.Tool", "--version", version, "--tool-path", tools, "--source", packages],
            packed.Temp.FullName, InstallTimeout);
        Assert.True(installExit == 0, $"dotnet tool install failed ({installExit}):\n{installOutput}");
        var ws2 = System.IO.Path.Combine(tools, OperatingSystem.IsWindows() ? "ws2.exe" : "ws2");
        Assert.True(File.Exists(ws2), $"no {ws2} after install:\n{installOutput}");

        // Run the installed command with a catalog file of its own, never the user's.
        var (exit, output) = Dotnet.Run(ws2, ["catalog"], packed.Temp.FullName, RunTimeout, new Dictionary<string, string>
        {
            ["WS2_CATALOG"] = System.IO.Path.Combine(packed.Temp.FullName, "catalog", "ws2-catalog.json"),
            ["DOTNET_ROOT"] = Dotnet.Root,
        });
        Assert.True(exit == 0, $"ws2 catalog exited {exit}:\n{output}");
        Assert.Contains("Winsock2.NET Tcpip [TCP/IP]", output);
        Assert.Contains("Winsock2.NET Tcpip [UDP/IP]", output);
        Assert.Contains("Rooted Multipoint", output);
    }

    [DotnetFact]
    public void Winsock2Package_DependsOnTheBuiltInProviders_AtRunTimeOnly()
    {
        var nupkg = System.IO.Path.Combine(packed.Packages, $"Winsock2.{packed.Version}.nupkg");
        using var zip = System.IO.Compression.ZipFile.OpenRead(nupkg);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("README.md", names);
        Assert.Contains("lib/net10.0/Winsock2.dll", names);
        Assert.Contains("lib/net10.0/Winsock2.xml", names);
        // The WSAPROTOCOL_INFO alias (a Using item) reaches the projects that reference the package, directly or not.
        Assert.Contains("build/Winsock2.props", names);
        Assert.Contains("buildTransitive/Winsock2.props", names);

        using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var nuspec = System.Xml.Linq.XDocument.Load(nuspecStream);
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Meta(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal(packed.Version, Meta("version"));
        Assert.Equal("README.md", Meta("readme"));
        Assert.Equal("MIT", Meta("license"));
        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string?)e.Attribute("exclude") ?? "");
        Assert.Contains("Winsock2.Spi", dependencies.Keys);
        Assert.Contains("Winsock2.Kernel32", dependencies.Keys);
        // The providers come along for WSASocket to work, but an application cannot compile against them.
        foreach (var provider in new[] { "Winsock2.Providers.Inet", "Winsock2.Providers.Rooted" })
        {
            Assert.True(dependencies.TryGetValue(provider, out var exclude), $"Winsock2 does not depend on {provider}");
            Assert.Contains("Compile", exclude.Split(','));
        }
    }
}
