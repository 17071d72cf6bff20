namespace Winsock2;

/// <summary>
/// What a provider assembly exports in place of a DLL's <c>WSPStartup</c>: the type the API layer creates (public
/// parameterless constructor, implementing <see cref="IWSPProvider"/>) when it loads the assembly by the path stored
/// in the catalog. An assembly that exports several providers lets the catalog path name one: <c>PATH!Namespace.Type</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class WSPProviderEntryAttribute : Attribute
{
    /// <summary>Names the provider entry type of this assembly.</summary>
    public WSPProviderEntryAttribute(Type entryType) => EntryType = entryType;

    /// <summary>The type implementing <see cref="IWSPProvider"/>.</summary>
    public Type EntryType { get; }
}
