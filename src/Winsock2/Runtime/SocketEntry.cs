namespace Winsock2.Runtime;

/// <summary>
/// A socket handle's row in the API layer's table: which catalog entry owns it, and the provider's context.
/// The context may be null (C allows a context of 0); the row itself is what lookups find, so a null context
/// is still a known handle.
/// </summary>
internal sealed class SocketEntry(uint catalogEntryId, object? context)
{
    public uint CatalogEntryId { get; } = catalogEntryId;
    public object? Context { get; } = context;
}
