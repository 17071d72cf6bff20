using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;

namespace Winsock2;

/// <summary>
/// LoadLibrary and GetProcAddress("WSPStartup") for provider assemblies: a catalog path names an assembly file
/// (<c>PATH</c>, whose <see cref="WSPProviderEntryAttribute"/> names the entry type, or <c>PATH!Namespace.Type</c>).
/// A relative path is relative to the directory the Winsock2 assemblies are in, as a bare DLL name is to system32.
/// An assembly already loaded under the same name is used as it is (one copy of a type per process).
/// </summary>
public static class ProviderModule
{
    private static readonly ConcurrentDictionary<string, byte> ProbeDirectories = new(StringComparer.Ordinal);
    private static int _resolverHooked;

    /// <summary>The directory relative paths start from.</summary>
    private static string BaseDirectory => Path.GetDirectoryName(typeof(ProviderModule).Assembly.Location) is { Length: > 0 } d
        ? d : AppContext.BaseDirectory;

    /// <summary>
    /// Finds the entry type a catalog path names. Returns null and a reason when the file is missing or unreadable,
    /// names no entry, or the entry is not a creatable <see cref="IWSPProvider"/>.
    /// </summary>
    public static Type? ResolveEntryType(string path, out string? reason)
    {
        reason = null;
        try
        {
            if (string.IsNullOrWhiteSpace(path)) { reason = "empty provider path"; return null; }
            var (file, typeName) = Split(path);
            var full = Path.GetFullPath(file, BaseDirectory);
            var assembly = Load(full, out reason);
            if (assembly is null) return null;
            var type = typeName is not null
                ? assembly.GetType(typeName, throwOnError: false)
                : assembly.GetCustomAttribute<WSPProviderEntryAttribute>()?.EntryType;
            if (type is null)
            {
                reason = typeName is null ? $"{full} has no [assembly: WSPProviderEntry]" : $"{full} has no type {typeName}";
                return null;
            }
            if (!typeof(IWSPProvider).IsAssignableFrom(type) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
            {
                reason = $"{type.FullName} is not an IWSPProvider with a public parameterless constructor";
                return null;
            }
            return type;
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException or ArgumentException
                                      or NotSupportedException or TypeLoadException or FileLoadException or ReflectionTypeLoadException)
        {
            reason = $"{path}: {e.Message}";
            return null;
        }
    }

    /// <summary>A new instance of the provider a catalog path names (null and a reason when it cannot be made).</summary>
    public static IWSPProvider? Create(string path, out string? reason)
    {
        var type = ResolveEntryType(path, out reason);
        if (type is null) return null;
        try { return (IWSPProvider)Activator.CreateInstance(type)!; }
        catch (Exception e)
        {
            reason = $"{type.FullName}: {(e is TargetInvocationException { InnerException: { } inner } ? inner.Message : e.Message)}";
            return null;
        }
    }

    private static (string File, string? Type) Split(string path)
    {
        int bang = path.LastIndexOf('!');
        return bang > 0 ? (path[..bang], path[(bang + 1)..]) : (path, null);
    }

    private static Assembly? Load(string full, out string? reason)
    {
        reason = null;
        if (!File.Exists(full)) { reason = $"{full} does not exist"; return null; }
        var name = AssemblyName.GetAssemblyName(full);
        foreach (var loaded in AssemblyLoadContext.Default.Assemblies)
            if (AssemblyName.ReferenceMatchesDefinition(loaded.GetName(), name) && loaded.GetName().Name == name.Name) return loaded;
        HookResolver();
        ProbeDirectories.TryAdd(Path.GetDirectoryName(full)!, 0);
        return AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
    }

    /// <summary>A provider's own dependencies are found beside it.</summary>
    private static void HookResolver()
    {
        if (Interlocked.Exchange(ref _resolverHooked, 1) != 0) return;
        AssemblyLoadContext.Default.Resolving += static (context, name) =>
        {
            foreach (var dir in ProbeDirectories.Keys)
            {
                var candidate = Path.Combine(dir, name.Name + ".dll");
                if (File.Exists(candidate)) return context.LoadFromAssemblyPath(candidate);
            }
            return null;
        };
    }
}
