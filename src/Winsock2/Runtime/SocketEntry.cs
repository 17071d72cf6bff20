namespace Winsock2.Runtime;

/// <summary>
/// A socket handle's row in the API layer's table: which catalog entry owns it, and the provider's context.
/// A non-IFS handle (WPUCreateSocketHandle) carries the provider's context, which may be null (C allows a context
/// of 0); the row itself is what lookups find, so a null context is still a known handle. An IFS handle
/// (WPUModifyIFSHandle, <paramref name="isIfs"/>) is the provider's own value and has no context.
/// </summary>
internal sealed class SocketEntry(uint catalogEntryId, object? context, bool isIfs = false)
{
    public uint CatalogEntryId { get; } = catalogEntryId;
    public object? Context { get; } = context;
    public bool IsIfs { get; } = isIfs;

    /// <summary>The started provider dispatch found for this row (used until the provider is retired by WSACleanup).</summary>
    public volatile LoadedProvider? Provider;

    /// <summary>
    /// The kernel's file object for this handle: its completion port association and notification modes. The base
    /// socket beneath a layered one is given the layered socket's when that is associated (SIO_BASE_HANDLE).
    /// </summary>
    public volatile Kernel.IoFile File = new();
}
