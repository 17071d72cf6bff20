namespace Winsock2.Kernel;

/// <summary>
/// What the kernel keeps for a file handle (here, a socket): the completion port it is associated with and its
/// completion notification modes (SetFileCompletionNotificationModes). A handle is associated at most once; modes,
/// once set, stay set. The API layer keeps one per socket handle and finds it for a handle value through
/// <see cref="IoFiles"/>. A layered socket and the base socket beneath it share one (the association is made on the
/// handle the application holds, the base provider completes on its own handle).
/// </summary>
internal sealed class IoFile
{
    private CompletionBinding? _binding;
    private int _modes;

    /// <summary>The port and key the handle is associated with, or null.</summary>
    public CompletionBinding? Binding => Volatile.Read(ref _binding);

    /// <summary>The FILE_SKIP_* modes set so far.</summary>
    public int Modes => Volatile.Read(ref _modes);

    /// <summary>Associates the handle with a port; false when it already is associated (with any port).</summary>
    public bool TryBind(CompletionBinding binding) => Interlocked.CompareExchange(ref _binding, binding, null) is null;

    /// <summary>Adds notification modes (they cannot be cleared, as on Windows).</summary>
    public void AddModes(int modes) => Interlocked.Or(ref _modes, modes);
}

/// <summary>A handle's association: the port its completions go to and the key they carry.</summary>
internal sealed class CompletionBinding(CompletionPort port, nuint key)
{
    public CompletionPort Port { get; } = port;
    public nuint Key { get; } = key;
}

/// <summary>What owns the file handles (the API layer's socket table), as the kernel's handle table would answer.</summary>
internal interface IFileTable
{
    /// <summary>The file object behind a handle value (a live socket), or null.</summary>
    IoFile? Find(nint handle);

    /// <summary>
    /// <paramref name="handle"/> was just associated with a port: the owner may share <paramref name="file"/> with the
    /// handles that complete on its behalf (the base socket beneath a layered one).
    /// </summary>
    void Associated(nint handle, IoFile file);
}

/// <summary>The file table the API layer binds when it loads, and the marker of a synchronous completion.</summary>
internal static class IoFiles
{
    private static IFileTable? _table;

    /// <summary>Per thread: the overlapped structure whose operation is completing synchronously (inside its own call), if any.</summary>
    [ThreadStatic] private static WSAOVERLAPPED? t_synchronous;

    /// <summary>Binds the owner of the file handles (the first binding wins).</summary>
    public static void Bind(IFileTable table) => Interlocked.CompareExchange(ref _table, table, null);

    /// <summary>The file object behind a handle, or null (also when no API layer is loaded).</summary>
    public static IoFile? Find(nint handle) => Volatile.Read(ref _table)?.Find(handle);

    /// <summary>Tells the owner that a handle was associated.</summary>
    public static void Associated(nint handle, IoFile file) => Volatile.Read(ref _table)?.Associated(handle, file);

    /// <summary>
    /// A provider completes <paramref name="ov"/> inside the call that started it (the operation did not pend): what
    /// FILE_SKIP_COMPLETION_PORT_ON_SUCCESS looks at. <see cref="EndSynchronous"/> ends the mark.
    /// </summary>
    public static void BeginSynchronous(WSAOVERLAPPED ov) => t_synchronous = ov;

    /// <summary>Ends <see cref="BeginSynchronous"/>.</summary>
    public static void EndSynchronous() => t_synchronous = null;

    /// <summary>True while <paramref name="ov"/> completes synchronously on this thread.</summary>
    public static bool IsSynchronous(WSAOVERLAPPED ov) => ReferenceEquals(t_synchronous, ov);

    /// <summary>
    /// The event an overlapped structure's hEvent names: its low bit is not part of the handle (set, it means "do not
    /// queue a completion packet", as on Windows).
    /// </summary>
    public static WSAEVENT EventOf(WSAEVENT hEvent) => new(hEvent.Value & ~(nint)1);

    /// <summary>The hEvent's low bit: the completion is not to be queued to a port.</summary>
    public static bool SkipsPort(WSAEVENT hEvent) => (hEvent.Value & 1) != 0;

    /// <summary>
    /// The Win32 error a completion packet carries for a Winsock error, as Windows maps the operation's NTSTATUS
    /// (a reset connection: ERROR_NETNAME_DELETED); codes without a distinct mapping stay as they are.
    /// </summary>
    public static int Win32Status(int wsaError) => wsaError switch
    {
        Ws2Spi.WSAECONNRESET or Ws2Spi.WSAENETRESET => Ws2Spi.ERROR_NETNAME_DELETED,
        Ws2Spi.WSAECONNABORTED => Ws2Spi.ERROR_CONNECTION_ABORTED,
        Ws2Spi.WSAEMSGSIZE => Ws2Spi.ERROR_MORE_DATA,
        Ws2Spi.WSAETIMEDOUT => Ws2Spi.ERROR_SEM_TIMEOUT,
        Ws2Spi.WSAECONNREFUSED => Ws2Spi.ERROR_CONNECTION_REFUSED,
        Ws2Spi.WSAEDISCON => Ws2Spi.ERROR_GRACEFUL_DISCONNECT,
        _ => wsaError,
    };
}
