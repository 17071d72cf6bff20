using System.Runtime.CompilerServices;
using Winsock2.Kernel;

namespace Winsock2.Runtime;

/// <summary>
/// Where an overlapped operation's completion goes, for every provider: the provider completes it through
/// WPUCompleteOverlappedRequest (a routine's completion is its APC instead), and this fills the WSAOVERLAPPED, sets its
/// hEvent and, when the socket is associated with a completion port, queues the packet there — unless the hEvent's low
/// bit is set (the application asked for no packet), or the operation succeeded inside its own call on a socket with
/// FILE_SKIP_COMPLETION_PORT_ON_SUCCESS. Also the kernel's view of the socket table: which handle values are files
/// (sockets) that a port can be associated with.
/// </summary>
internal sealed class CompletionRouting : IFileTable
{
#pragma warning disable CA2255 // bound when the API layer loads, as a DLL's imports are
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Bind() => IoFiles.Bind(new CompletionRouting());

    /// <summary>WPUCompleteOverlappedRequest.</summary>
    public static int Complete(SOCKET s, WSAOVERLAPPED lpOverlapped, uint dwError, uint cbTransferred, out int lpErrno)
    {
        if (lpOverlapped is null) { lpErrno = Ws2_32.WSAEFAULT; return Ws2_32.SOCKET_ERROR; }
        if (!ApiInstance.Sockets.TryGet(s.Value, out var entry)) { lpErrno = Ws2_32.WSAENOTSOCK; return Ws2_32.SOCKET_ERROR; }
        // Everything read before the structure is published: the application may reuse it as soon as Internal is 0.
        var file = entry.File;
        var binding = file.Binding;
        var hEvent = lpOverlapped.hEvent;
        bool post = binding is not null && !IoFiles.SkipsPort(hEvent)
            && !(dwError == 0 && (file.Modes & Ws2_32.FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) != 0 && IoFiles.IsSynchronous(lpOverlapped));
        lpOverlapped.Complete((int)dwError, (int)cbTransferred, (int)lpOverlapped.Offset);
        var ev = IoFiles.EventOf(hEvent);
        if (ev.IsValid) Events.Set(ev);
        if (post) binding!.Port.Post(binding.Key, lpOverlapped, cbTransferred, IoFiles.Win32Status((int)dwError));
        lpErrno = 0;
        return 0;
    }

    public IoFile? Find(nint handle) =>
        handle > 0 && ApiInstance.Sockets.TryGet((nuint)handle, out var entry) ? entry.File : null;

    /// <summary>
    /// A layered socket was associated: the base provider beneath completes on its own handle, so that handle (what
    /// SIO_BASE_HANDLE answers through the chain) shares the layered socket's file object.
    /// </summary>
    public void Associated(nint handle, IoFile file)
    {
        var s = new SOCKET((nuint)handle);
        if (!Dispatch.Enter(s, out var p)) return;
        var output = new byte[8];
        if (p.WSPIoctl(s, Ws2_32.SIO_BASE_HANDLE, null, 0, output, (uint)output.Length, out uint returned, null, null, null, out _) != 0
            || returned != 8)
            return;
        var lower = (nuint)BitConverter.ToUInt64(output);
        if (lower != s.Value && ApiInstance.Sockets.TryGet(lower, out var baseEntry)) baseEntry.File = file;
    }
}
