using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Winsock2.Tests.Architecture;

/// <summary>
/// The layering as Windows builds it, checked on what was really built: the metadata AssemblyReferences of each of
/// our DLLs in the test output directory (an arrow exists only if the compiled code uses the other assembly), and
/// the ProjectReference items of the csproj files (an arrow a project could start using at any time).
/// </summary>
public class AssemblyReferenceTests
{
    /// <summary>
    /// Every assembly of ours and the assemblies of ours it may reference. Everything else of ours is forbidden:
    /// the API layer never names a provider (the catalog loads providers by path), a provider sees only the
    /// contract and the kernel services, and nothing references the tool.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["Winsock2.Spi"] = [],
        ["Winsock2.Kernel32"] = ["Winsock2.Spi"],
        ["Winsock2"] = ["Winsock2.Spi", "Winsock2.Kernel32"],
        ["Winsock2.Providers.Core"] = ["Winsock2.Spi", "Winsock2.Kernel32"],
        ["Winsock2.Providers.Inet"] = ["Winsock2.Providers.Core", "Winsock2.Spi", "Winsock2.Kernel32"],
        ["Winsock2.Providers.Rooted"] = ["Winsock2.Providers.Core", "Winsock2.Spi", "Winsock2.Kernel32"],
        ["Winsock2.Providers.Tracing"] = ["Winsock2.Spi", "Winsock2.Kernel32"],
        // The async surface speaks Ws2_32 only: threads and events come through the API layer, not kernel32.
        ["Winsock2.Multipoint"] = ["Winsock2", "Winsock2.Spi"],
        // The tool: the async surface and the API layer (ws2 catalog reads WSAPROTOCOL_INFOW) — never a provider,
        // even though its csproj references Inet and Rooted so that they are deployed beside it.
        // ws2 installs providers: like a Windows installer that LoadLibrary()s a provider DLL to ask its setup, it uses the
        // kernel services' ProviderModule (ws2 catalog install PATH).
        ["ws2"] = ["Winsock2.Multipoint", "Winsock2", "Winsock2.Spi", "Winsock2.Kernel32"],
        // The example programs (examples/) are porting users: the public Winsock-shaped API only (ws2_32, and
        // kernel32's completion ports, as a C program includes windows.h) — no provider, even though their csproj
        // references the providers to deploy them.
        ["Winsock2.Examples"] = ["Winsock2", "Winsock2.Spi", "Winsock2.Kernel32"],
    };

    /// <summary>Assemblies that may be absent from the output: being added in parallel, checked once they exist.</summary>
    public static readonly HashSet<string> Optional = ["Winsock2.Providers.Tracing"];

    /// <summary>The ProjectReferences the csproj files may hold beyond <see cref="Allowed"/>: deployment only.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> AllowedForDeploymentOnly = new Dictionary<string, string[]>
    {
        // ws2.dll names no provider type (the metadata test proves it); the references put the DLLs beside it.
        ["ws2"] = ["Winsock2.Providers.Inet", "Winsock2.Providers.Rooted"],
    };

    /// <summary>An assembly name that is one of ours: in the table, or named like ours.</summary>
    public static bool IsOurs(string name) =>
        Allowed.ContainsKey(name) || name == "Winsock2" || name.StartsWith("Winsock2.", StringComparison.Ordinal) || name == "ws2";

    /// <summary>Every arrow from → to between our assemblies that <paramref name="allowed"/> does not permit, as "from → to".</summary>
    public static List<string> Violations(IReadOnlyDictionary<string, IReadOnlyCollection<string>> references,
        IReadOnlyDictionary<string, string[]> allowed)
    {
        var found = new List<string>();
        foreach (var (from, targets) in references.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            allowed.TryGetValue(from, out var permitted);
            foreach (var to in targets.Where(IsOurs).Where(t => t != from).OrderBy(t => t, StringComparer.Ordinal))
                if (permitted is null || !permitted.Contains(to)) found.Add($"{from} → {to}");
        }
        return found;
    }

    /// <summary>The names in the AssemblyReferences table of a built DLL.</summary>
    public static List<string> MetadataReferences(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        return md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();
    }

    /// <summary>Our DLLs in the test output directory with their metadata references; a missing required one fails.</summary>
    public static Dictionary<string, IReadOnlyCollection<string>> BuiltReferences()
    {
        var result = new Dictionary<string, IReadOnlyCollection<string>>();
        var missing = new List<string>();
        foreach (var name in Allowed.Keys)
        {
            var path = Path.Combine(AppContext.BaseDirectory, name + ".dll");
            if (File.Exists(path)) result[name] = MetadataReferences(path);
            else if (!Optional.Contains(name)) missing.Add(path);
        }
        Assert.True(missing.Count == 0, "built assemblies missing from the test output: " + string.Join(", ", missing));
        return result;
    }

    [Fact]
    public void AssemblyReferences_EveryArrowPointsTheAllowedWay()
    {
        var built = BuiltReferences();
        var violations = Violations(built, Allowed);
        Assert.True(violations.Count == 0, "arrows pointing the wrong way:\n" + string.Join("\n", violations));
        // The layering is real, not vacuous: the arrows the design depends on exist.
        Assert.Contains("Winsock2.Spi", built["Winsock2"]);
        Assert.Contains("Winsock2.Kernel32", built["Winsock2"]);
        Assert.Contains("Winsock2.Providers.Core", built["Winsock2.Providers.Inet"]);
        Assert.Contains("Winsock2", built["Winsock2.Multipoint"]);
        Assert.Contains("Winsock2.Multipoint", built["ws2"]);
        Assert.DoesNotContain(built["Winsock2.Spi"], IsOurs);
    }

    [Fact]
    public void AssemblyReferences_ForbiddenArrowThatExists_IsReported()
    {
        // The real, built references against a table that forbids two arrows that exist.
        var built = BuiltReferences();
        var strict = Allowed.ToDictionary(p => p.Key, p => p.Value);
        strict["Winsock2"] = ["Winsock2.Kernel32"];             // forbid Winsock2 → Winsock2.Spi
        strict["Winsock2.Providers.Inet"] = ["Winsock2.Spi"];  // forbid Inet → Core and Inet → Kernel32
        var violations = Violations(built, strict);
        Assert.Contains("Winsock2 → Winsock2.Spi", violations);
        Assert.Contains("Winsock2.Providers.Inet → Winsock2.Providers.Core", violations);

        // And the arrows the walls exist for: the API layer naming a provider, a provider naming the API layer,
        // anything naming the tool, an assembly of ours the table does not know.
        var wrong = new Dictionary<string, IReadOnlyCollection<string>>
        {
            ["Winsock2"] = ["System.Runtime", "Winsock2.Spi", "Winsock2.Providers.Inet"],
            ["Winsock2.Providers.Rooted"] = ["Winsock2.Spi", "Winsock2"],
            ["Winsock2.Multipoint"] = ["Winsock2", "ws2"],
            ["Winsock2.Spi"] = ["Winsock2.Unknown"],
        };
        Assert.Equal(
            ["Winsock2 → Winsock2.Providers.Inet", "Winsock2.Multipoint → ws2", "Winsock2.Providers.Rooted → Winsock2",
             "Winsock2.Spi → Winsock2.Unknown"],
            Violations(wrong, Allowed));
    }

    // ---- The csproj walls ----

    /// <summary>The repository root (the folder holding Winsock2.slnx) above the test output directory.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Winsock2.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no Winsock2.slnx above {AppContext.BaseDirectory}");
    }

    /// <summary>A ProjectReference in a csproj: the referenced assembly and whether it is a compile reference.</summary>
    public sealed record ProjectArrow(string From, string To, bool Compile, string Xml);

    /// <summary>The assembly a csproj builds: its AssemblyName, else the file name.</summary>
    public static string AssemblyNameOf(string csproj)
    {
        var doc = XDocument.Load(csproj);
        return doc.Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0)
            ?? Path.GetFileNameWithoutExtension(csproj);
    }

    /// <summary>
    /// Every ProjectReference of every csproj under src/. A reference is build-order-only (not a compile
    /// reference) when it says ReferenceOutputAssembly="false", or RuntimeDependency="true" — which
    /// src/Directory.Build.targets turns into ReferenceOutputAssembly=false before references are resolved.
    /// </summary>
    public static List<ProjectArrow> ProjectArrows(string root)
    {
        var arrows = new List<ProjectArrow>();
        foreach (var csproj in Directory.GetFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories)
                     .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var from = AssemblyNameOf(csproj);
            foreach (var reference in XDocument.Load(csproj).Descendants("ProjectReference"))
            {
                var include = (string?)reference.Attribute("Include") ?? "";
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(csproj)!, include.Replace('\\', '/')));
                var to = File.Exists(target) ? AssemblyNameOf(target) : Path.GetFileNameWithoutExtension(target);
                bool Says(string name, string value) =>
                    string.Equals(((string?)reference.Attribute(name) ?? (string?)reference.Element(name))?.Trim(), value,
                        StringComparison.OrdinalIgnoreCase);
                bool compile = !Says("ReferenceOutputAssembly", "false") && !Says("RuntimeDependency", "true");
                arrows.Add(new ProjectArrow(from, to, compile, reference.ToString()));
            }
        }
        return arrows;
    }

    [Fact]
    public void ProjectReferences_NoCsprojGivesACompileReferenceTheWrongWay()
    {
        var root = RepositoryRoot();
        var arrows = ProjectArrows(root);
        var permitted = Allowed.ToDictionary(p => p.Key,
            p => p.Value.Concat(AllowedForDeploymentOnly.GetValueOrDefault(p.Key, [])).ToArray());
        var compile = arrows.Where(a => a.Compile)
            .GroupBy(a => a.From)
            .ToDictionary(g => g.Key, g => (IReadOnlyCollection<string>)g.Select(a => a.To).ToList());
        var violations = Violations(compile, permitted);
        Assert.True(violations.Count == 0, "csproj compile references pointing the wrong way:\n" + string.Join("\n", violations));

        // The wall this is for: the API layer's project has no compile reference to any provider project.
        var apiToProviders = arrows.Where(a => a.From == "Winsock2" && a.To.StartsWith("Winsock2.Providers.", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(apiToProviders, a => a.Compile);
        // Its provider references are the package dependencies that bring the built-in providers along.
        Assert.Contains(apiToProviders, a => a.To == "Winsock2.Providers.Inet");
        Assert.Contains(apiToProviders, a => a.To == "Winsock2.Providers.Rooted");
    }

    [Fact]
    public void ProjectReferences_RuntimeDependencyIsMadeBuildOrderOnly()
    {
        // RuntimeDependency="true" counts as "not a compile reference" above only because this target exists:
        // it rewrites such references to ReferenceOutputAssembly=false before MSBuild resolves references.
        var targets = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "Directory.Build.targets"));
        var target = targets.Descendants("Target").SingleOrDefault(t => (string?)t.Attribute("Name") == "_MakeRuntimeDependenciesBuildOrderOnly");
        Assert.NotNull(target);
        Assert.Contains("ResolveProjectReferences", (string?)target.Attribute("BeforeTargets") ?? "", StringComparison.Ordinal);
        var update = target.Descendants("ProjectReference").Single();
        Assert.Contains("RuntimeDependency", (string?)update.Attribute("Condition") ?? "", StringComparison.Ordinal);
        Assert.Equal("false", update.Element("ReferenceOutputAssembly")?.Value);

        // And it works: the API layer's own build output (src/Winsock2/bin/<configuration>/<tfm>/) holds no
        // provider DLL. A resolved ProjectReference is copied there (Private defaults to true), so none was resolved.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var apiBin = Path.Combine(RepositoryRoot(), "src", "Winsock2", "bin", output.Parent!.Name, output.Name);
        Assert.True(File.Exists(Path.Combine(apiBin, "Winsock2.dll")), $"no API layer build output in {apiBin}");
        Assert.Empty(Directory.GetFiles(apiBin, "Winsock2.Providers.*.dll"));
    }

    [Fact]
    public void ProjectReferences_ForbiddenCompileReference_IsReported()
    {
        // A csproj that gave the API layer a plain compile reference to a provider would be caught.
        var arrows = new Dictionary<string, IReadOnlyCollection<string>>
        {
            ["Winsock2"] = ["Winsock2.Spi", "Winsock2.Kernel32", "Winsock2.Providers.Rooted"],
        };
        Assert.Equal(["Winsock2 → Winsock2.Providers.Rooted"], Violations(arrows, Allowed));

        // And the csproj reader tells a compile reference from a build-order-only one.
        var dir = Directory.CreateTempSubdirectory("ws2-arch-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "src", "A"));
            File.WriteAllText(Path.Combine(dir.FullName, "src", "A", "Winsock2.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <ItemGroup>
                    <ProjectReference Include="../P/Winsock2.Providers.Inet.csproj" />
                    <ProjectReference Include="../P/Winsock2.Providers.Rooted.csproj" RuntimeDependency="true" />
                    <ProjectReference Include="../P/Winsock2.Providers.Core.csproj"><ReferenceOutputAssembly>false</ReferenceOutputAssembly></ProjectReference>
                  </ItemGroup>
                </Project>
                """);
            var read = ProjectArrows(dir.FullName);
            Assert.Equal([("Winsock2.Providers.Inet", true), ("Winsock2.Providers.Rooted", false), ("Winsock2.Providers.Core", false)],
                read.Select(a => (a.To, a.Compile)).ToArray());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
