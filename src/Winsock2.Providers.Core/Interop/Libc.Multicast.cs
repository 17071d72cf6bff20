using System.Runtime.InteropServices;

namespace Winsock2.Interop;

internal static unsafe partial class Libc
{
    /// <summary>setsockopt(2): the multicast options need Linux structures System.Net.Sockets has no type for (ip_mreq_source, group_source_req).</summary>
    [LibraryImport("libc", SetLastError = true)] public static partial int setsockopt(int fd, int level, int optname, void* optval, uint optlen);
}
