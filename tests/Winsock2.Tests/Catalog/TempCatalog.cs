using System.Runtime.CompilerServices;

namespace Winsock2.Tests.Catalog;

/// <summary>
/// The whole test process (and every ws2 child it starts, which inherits the environment) keeps its catalog in a
/// temporary file, named by WS2_CATALOG before anything touches the catalog, so tests never write the user's real one.
/// The directory is removed when the process exits.
/// </summary>
public static class TempCatalog
{
    /// <summary>The temporary directory holding the test process's catalog.</summary>
    public static string Directory { get; private set; } = "";

    /// <summary>The catalog file (it may not exist: then the built-in defaults are the catalog).</summary>
    public static string FilePath => Path.Combine(Directory, "catalog.json");

#pragma warning disable CA2255 // the catalog's place must be set before any test runs
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Use()
    {
        // This assembly loaded as a provider into a ws2 child of the tests: the child already uses the tests' catalog.
        if (System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name == "ws2") return;
        Directory = Path.Combine(Path.GetTempPath(), $"winsock2-tests-{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        Environment.SetEnvironmentVariable("WS2_CATALOG", FilePath);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { System.IO.Directory.Delete(Directory, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        };
    }

    /// <summary>Back to the built-in defaults with no file (as a new machine has it).</summary>
    public static void Remove()
    {
        File.Delete(FilePath);
    }
}
