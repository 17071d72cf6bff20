using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

using static Winsock2.Ws2Spi;
using static Winsock2.Providers.Tracing.TraceFormat;

namespace Winsock2.Providers.Tracing;

/// <summary>
/// The extension functions through the layer. WSPIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) goes to the next provider;
/// the layer then answers with a wrapper of the function it returned, as a Windows LSP must: the application calls the
/// function with the layer's handles, which the wrapper turns into the next provider's before calling its function, and
/// each call is traced like any WSP call. The error stays the thread's last error (<see cref="Kernel32.GetLastError"/>), as the next
/// provider's function left it.
/// </summary>
public sealed partial class TracingProvider
{
    /// <summary>This layer's wrappers, one per next-provider function (kept alive with the layer, as its pointers are).</summary>
    private readonly Dictionary<Delegate, Delegate> _wrappers = new(ReferenceEqualityComparer.Instance);

    /// <summary>Replaces the next provider's function pointer in <paramref name="output"/> by the layer's wrapper's (0, or the error).</summary>
    private int WrapExtension(byte[]? input, uint inLen, byte[] output)
    {
        var id = ExtensionFunctionPointer.GuidIn(input, inLen);
        if (id is null || !ExtensionFunctionPointer.TryGet(ExtensionFunctionPointer.Read(output), out Delegate? lower)) return WSAEINVAL;
        Delegate? wrapper;
        lock (_wrappers)
        {
            if (!_wrappers.TryGetValue(lower!, out wrapper))
            {
                wrapper = Wrap(lower!);
                if (wrapper is null) return WSAEINVAL;
                _wrappers.Add(lower!, wrapper);
            }
        }
        ExtensionFunctionPointer.Write(output, ExtensionFunctionPointer.Of(wrapper));
        return 0;
    }

    /// <summary>The layer's wrapper of one of the next provider's extension functions (null for a function the layer does not know).</summary>
    private Delegate? Wrap(Delegate lower) => lower switch
    {
        LPFN_ACCEPTEX f => new LPFN_ACCEPTEX((sListen, sAccept, buffer, recvLen, localLen, remoteLen, out bytes, ov) =>
        {
            long t0 = Stopwatch.GetTimestamp();
            bytes = 0;
            bool ok = Lowers(sListen, sAccept, out var l, out var la) && f(l, la, buffer, recvLen, localLen, remoteLen, out bytes, ov);
            Done(t0, $"AcceptEx(s={H(sListen)}, accept={H(sAccept)}, recvlen={recvLen}, locallen={localLen}, remotelen={remoteLen}, ov={Ov(ov, null)})", ok);
            return ok;
        }),
        LPFN_GETACCEPTEXSOCKADDRS f => new LPFN_GETACCEPTEXSOCKADDRS((buffer, recvLen, localLen, remoteLen, out local, out localLength, out remote, out remoteLength) =>
        {
            long t0 = Stopwatch.GetTimestamp();
            f(buffer, recvLen, localLen, remoteLen, out local, out localLength, out remote, out remoteLength);
            _log.Call(t0, $"GetAcceptExSockaddrs(recvlen={recvLen}) = local={Addr(local, localLength)} remote={Addr(remote, remoteLength)}");
        }),
        LPFN_CONNECTEX f => new LPFN_CONNECTEX((s, name, namelen, send, sendLen, out sent, ov) =>
        {
            long t0 = Stopwatch.GetTimestamp();
            sent = 0;
            bool ok = Lowers(s, s, out var l, out _) && f(l, name, namelen, send, sendLen, out sent, ov);
            Done(t0, $"ConnectEx(s={H(s)}, name={Addr(name, namelen)}, sendlen={sendLen}, ov={Ov(ov, null)})", ok);
            return ok;
        }),
        LPFN_DISCONNECTEX f => new LPFN_DISCONNECTEX((s, ov, flags, reserved) =>
        {
            long t0 = Stopwatch.GetTimestamp();
            bool ok = Lowers(s, s, out var l, out _) && f(l, ov, flags, reserved);
            Done(t0, $"DisconnectEx(s={H(s)}, ov={Ov(ov, null)}, flags={Hex(flags)})", ok);
            return ok;
        }),
        LPFN_TRANSMITFILE f => new LPFN_TRANSMITFILE((s, file, count, perSend, ov, buffers, flags) =>
        {
            long t0 = Stopwatch.GetTimestamp();
            bool ok = Lowers(s, s, out var l, out _) && f(l, file, count, perSend, ov, buffers, flags);
            Done(t0, $"TransmitFile(s={H(s)}, file={YesNo(file is not null)}, count={count}, ov={Ov(ov, null)}, flags={Hex(flags)})", ok);
            return ok;
        }),
        LPFN_WSARECVMSG f => new LPFN_WSARECVMSG((s, msg, out received, ov, routine) =>
        {
            long t0 = Stopwatch.GetTimestamp();
            received = 0;
            int rc = Lowers(s, s, out var l, out _) ? f(l, msg, out received, ov, routine) : SOCKET_ERROR;
            Done(t0, $"WSARecvMsg(s={H(s)}, ov={Ov(ov, routine)})", rc == 0, rc == 0 ? $" bytes={received} controllen={msg?.Control?.len} flags={Hex(msg?.dwFlags ?? 0)}" : "");
            return rc;
        }),
        LPFN_WSASENDMSG f => new LPFN_WSASENDMSG((s, msg, flags, out sent, ov, routine) =>
        {
            long t0 = Stopwatch.GetTimestamp();
            sent = 0;
            int rc = Lowers(s, s, out var l, out _) ? f(l, msg, flags, out sent, ov, routine) : SOCKET_ERROR;
            Done(t0, $"WSASendMsg(s={H(s)}, flags={Hex(flags)}, ov={Ov(ov, routine)})", rc == 0, rc == 0 ? $" bytes={sent}" : "");
            return rc;
        }),
        _ => null,
    };

    /// <summary>The next provider's handles for two of the layer's (WSAENOTSOCK as the last error when either is none).</summary>
    private bool Lowers(SOCKET a, SOCKET b, out SOCKET lowerA, out SOCKET lowerB)
    {
        lowerB = INVALID_SOCKET;
        if (Lower(a, out lowerA, out int errno) && Lower(b, out lowerB, out errno)) return true;
        Kernel32.SetLastError(unchecked((uint)errno));
        return false;
    }

    /// <summary>One trace line for an extension call: TRUE, or FALSE with the last error's name (ERROR_IO_PENDING for a pending one).</summary>
    private void Done(long t0, string call, bool ok, string detail = "") =>
        _log.Call(t0, $"{call} = {(ok ? "TRUE" : $"FALSE {ErrorNames.Format(unchecked((int)Kernel32.GetLastError()))}")}{detail}");
}
