namespace Winsock2.Kernel;

/// <summary>
/// kernel32's GetLastError / SetLastError: the calling thread's last error, the value WSAGetLastError reads. What an
/// extension function (mswsock's AcceptEx ...) reports its error through, and what a layered provider's wrapper of such
/// a function reads after calling the next provider's.
/// </summary>
public static class LastError
{
    /// <summary>The calling thread's last error.</summary>
    public static int GetLastError() => ThreadContext.Current.LastError;

    /// <summary>Sets the calling thread's last error.</summary>
    public static void SetLastError(int dwErrCode) => ThreadContext.Current.LastError = dwErrCode;
}
