using Winsock2.Kernel;
using Winsock2.Runtime;

namespace Winsock2;

/// <summary>WSAStartup, WSACleanup and the per-thread last error.</summary>
public static partial class Ws2_32
{
    /// <summary>The highest Winsock version implemented: 2.2.</summary>
    public const ushort WINSOCK_VERSION = 0x0202;

    /// <summary>MAKEWORD(low, high): a version word (low byte major, high byte minor).</summary>
    public static ushort MAKEWORD(byte low, byte high) => (ushort)(low | (high << 8));

    /// <summary>
    /// Starts the API for the caller: negotiates the version (1.0 to 2.2; a request above 2.2 gets 2.2, one of
    /// 1.2 to 1.255 gets 1.1 as on Windows, below 1.0 WSAVERNOTSUPPORTED) and counts a reference. Returns 0 or the
    /// error code (not via WSAGetLastError).
    /// </summary>
    public static int WSAStartup(ushort wVersionRequested, out WSADATA lpWSAData)
    {
        byte major = (byte)(wVersionRequested & 0xFF), minor = (byte)(wVersionRequested >> 8);
        lpWSAData = new WSADATA
        {
            wHighVersion = WINSOCK_VERSION,
            szDescription = "Winsock2 for .NET",
            szSystemStatus = "Running",
        };
        if (major < 1)
        {
            lpWSAData.wVersion = WINSOCK_VERSION;
            return WSAVERNOTSUPPORTED;
        }
        lpWSAData.wVersion = major > 2 || (major == 2 && minor >= 2) ? WINSOCK_VERSION
            : major == 1 && minor > 1 ? (ushort)0x0101 // Winsock 1 stops at 1.1 (recorded by ReactOS's WSAStartup apitest)
            : wVersionRequested;
        try
        {
            ApiInstance.AddRef();
            return 0;
        }
        catch (Exception e)
        {
            Diagnostics.InternalFailure("WSAStartup", e);
            return WSASYSNOTREADY;
        }
    }

    /// <summary>Ends one WSAStartup; the last one closes every socket and cleans up every provider.</summary>
    public static int WSACleanup()
    {
        try
        {
            return ApiInstance.Release() ? 0 : Dispatch.Finish(SOCKET_ERROR, WSANOTINITIALISED);
        }
        catch (Exception e) { return Dispatch.Fail(e); }
    }

    /// <summary>The calling thread's last error.</summary>
    public static int WSAGetLastError() => ThreadContext.Current.LastError;

    /// <summary>Sets the calling thread's last error.</summary>
    public static void WSASetLastError(int iError) => ThreadContext.Current.LastError = iError;
}
