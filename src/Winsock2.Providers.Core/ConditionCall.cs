using System.Net;
using Winsock2.Kernel;

namespace Winsock2.Providers.Core;

/// <summary>WSAAccept's condition function (LPCONDITIONPROC) as the providers here call it.</summary>
internal static class ConditionCall
{
    /// <summary>The verdict an exception in the condition function stands for: not a CF_ value, so accept fails with WSAEINVAL.</summary>
    public const int Failed = -1;

    /// <summary>
    /// Calls <paramref name="condition"/> with the caller's and callee's addresses (as Windows sockaddrs; null when
    /// unknown), the caller data (null when there is none), the flowspecs and the callee data buffer. Its exceptions
    /// are reported to <see cref="Diagnostics"/> and become <see cref="Failed"/>.
    /// </summary>
    public static int Invoke(LPCONDITIONPROC condition, IPEndPoint? caller, IPEndPoint? callee, byte[]? callerData,
        QOS? sqos, WSABUF? calleeData, nuint callbackData)
    {
        try
        {
            var callerId = caller is null ? null : new WSABUF(SockAddr.From(caller));
            var calleeId = callee is null ? null : new WSABUF(SockAddr.From(callee));
            var callerBuf = callerData is null || callerData.Length == 0 ? null : new WSABUF(callerData);
            return condition(callerId, callerBuf, sqos, null, calleeId, calleeData, out _, callbackData);
        }
        catch (Exception e)
        {
            Diagnostics.CallbackFailed("condition function", e);
            return Failed;
        }
    }
}
