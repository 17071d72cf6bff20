using System.Runtime.InteropServices;

namespace Winsock2.Interop;

/// <summary>The calls the extension functions need: dup3 (a socket takes over another descriptor's connection), lseek (TransmitFile's file position).</summary>
internal static unsafe partial class Libc
{
    public const int O_CLOEXEC = 0x80000;

    public const int SEEK_SET = 0, SEEK_CUR = 1;

    [LibraryImport("libc", SetLastError = true)] public static partial int dup3(int oldfd, int newfd, int flags);
    [LibraryImport("libc", SetLastError = true)] public static partial long lseek(int fd, long offset, int whence);
}
