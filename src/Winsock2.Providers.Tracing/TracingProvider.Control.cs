using System.Diagnostics;
using static Winsock2.Ws2Spi;
using static Winsock2.Providers.Tracing.TraceFormat;

namespace Winsock2.Providers.Tracing;

/// <summary>Options, ioctls, names and address strings: forwarded with the next provider's handle.</summary>
public sealed partial class TracingProvider
{
    /// <inheritdoc />
    public int WSPIoctl(SOCKET s, uint dwIoControlCode, byte[]? lpvInBuffer, uint cbInBuffer, byte[]? lpvOutBuffer, uint cbOutBuffer,
        out uint lpcbBytesReturned, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine,
        WSATHREADID? lpThreadId, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        lpcbBytesReturned = 0;
        string args = $"s={H(s)}, code={Ioctl(dwIoControlCode)}, in={IoBuf(lpvInBuffer, cbInBuffer)}, outlen={cbOutBuffer}, "
            + $"ov={Ov(lpOverlapped, lpCompletionRoutine)}";
        int rc = Lower(s, out var l, out lpErrno)
            ? _next.WSPIoctl(l, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, out lpcbBytesReturned, lpOverlapped,
                Traced("WSPIoctl", s, lpCompletionRoutine, null, 0), lpThreadId, out lpErrno)
            : SOCKET_ERROR;
        if (rc == 0 && dwIoControlCode == SIO_GET_EXTENSION_FUNCTION_POINTER && lpvOutBuffer is not null
            && (lpErrno = WrapExtension(lpvInBuffer, cbInBuffer, lpvOutBuffer)) != 0) rc = SOCKET_ERROR; // TracingProvider.Extensions.cs
        if (rc == 0 && dwIoControlCode == SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER && lpvOutBuffer is not null
            && (lpErrno = WrapRioTable(lpvOutBuffer, lpcbBytesReturned)) != 0) rc = SOCKET_ERROR; // TracingProvider.Rio.cs
        _log.Call(t0, $"WSPIoctl({args}) {Rc(rc, lpErrno)}"
            + (rc == 0 ? $" returned={lpcbBytesReturned}{(lpcbBytesReturned == 4 ? $" out={IoBuf(lpvOutBuffer, 4)}" : "")}" : ""));
        return rc;
    }

    /// <summary>
    /// Forwarded. SO_PROTOCOL_INFOW is answered with the chain entry the socket was made on (the next provider would
    /// describe its own entry), as a Windows LSP does, so the application sees the protocol it asked for.
    /// </summary>
    public int WSPGetSockOpt(SOCKET s, int level, int optname, byte[] optval, ref int optlen, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int lenIn = optlen;
        int rc = Lower(s, out var l, out lpErrno) ? _next.WSPGetSockOpt(l, level, optname, optval, ref optlen, out lpErrno) : SOCKET_ERROR;
        if (rc == 0 && level == SOL_SOCKET && optname == SO_PROTOCOL_INFOW && optval is not null
            && optlen >= WSAPROTOCOL_INFOW.Size && optval.Length >= WSAPROTOCOL_INFOW.Size)
            ProtocolInfoCodec.Write(_chainInfo, optval);
        _log.Call(t0, $"WSPGetSockOpt(s={H(s)}, level={Level(level)}, opt={Option(level, optname)}, optlen={lenIn}) {Rc(rc, lpErrno)}"
            + (rc == 0 ? $" optlen={optlen} value={OptVal(optval, optlen)}" : ""));
        return rc;
    }

    /// <inheritdoc />
    public int WSPSetSockOpt(SOCKET s, int level, int optname, byte[]? optval, int optlen, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int rc = Lower(s, out var l, out lpErrno) ? _next.WSPSetSockOpt(l, level, optname, optval, optlen, out lpErrno) : SOCKET_ERROR;
        _log.Call(t0, $"WSPSetSockOpt(s={H(s)}, level={Level(level)}, opt={Option(level, optname)}, value={OptVal(optval, optlen)}, "
            + $"optlen={optlen}) {Rc(rc, lpErrno)}");
        return rc;
    }

    /// <inheritdoc />
    public int WSPGetPeerName(SOCKET s, byte[] name, ref int namelen, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int lenIn = namelen;
        int rc = Lower(s, out var l, out lpErrno) ? _next.WSPGetPeerName(l, name, ref namelen, out lpErrno) : SOCKET_ERROR;
        _log.Call(t0, $"WSPGetPeerName(s={H(s)}, namelen={lenIn}) {Rc(rc, lpErrno)}{(rc == 0 ? $" name={Addr(name, namelen)}" : "")}");
        return rc;
    }

    /// <inheritdoc />
    public int WSPGetSockName(SOCKET s, byte[] name, ref int namelen, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int lenIn = namelen;
        int rc = Lower(s, out var l, out lpErrno) ? _next.WSPGetSockName(l, name, ref namelen, out lpErrno) : SOCKET_ERROR;
        _log.Call(t0, $"WSPGetSockName(s={H(s)}, namelen={lenIn}) {Rc(rc, lpErrno)}{(rc == 0 ? $" name={Addr(name, namelen)}" : "")}");
        return rc;
    }

    /// <inheritdoc />
    public bool WSPGetQOSByName(SOCKET s, WSABUF lpQOSName, QOS lpQOS, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        bool ok = Lower(s, out var l, out lpErrno) && _next.WSPGetQOSByName(l, lpQOSName, lpQOS, out lpErrno);
        _log.Call(t0, $"WSPGetQOSByName(s={H(s)}, name={Buf(lpQOSName)}) {Bool(ok, lpErrno)}{(ok ? $" qos={Qos(lpQOS)}" : "")}");
        return ok;
    }

    /// <summary>Forwarded with the next provider's own entry (the one it knows).</summary>
    public int WSPAddressToString(byte[] lpsaAddress, int dwAddressLength, WSAPROTOCOL_INFOW? lpProtocolInfo, out string lpszAddressString,
        out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int rc = _next.WSPAddressToString(lpsaAddress, dwAddressLength, _nextInfo.Clone(), out lpszAddressString, out lpErrno);
        _log.Call(t0, $"WSPAddressToString(addr={Addr(lpsaAddress, dwAddressLength)}, len={dwAddressLength}) {Rc(rc, lpErrno)}"
            + (rc == 0 ? $" \"{lpszAddressString}\"" : ""));
        return rc;
    }

    /// <summary>Forwarded with the next provider's own entry (the one it knows).</summary>
    public int WSPStringToAddress(string AddressString, int AddressFamily, WSAPROTOCOL_INFOW? lpProtocolInfo, byte[] lpAddress,
        ref int lpAddressLength, out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int lenIn = lpAddressLength;
        int rc = _next.WSPStringToAddress(AddressString, AddressFamily, _nextInfo.Clone(), lpAddress, ref lpAddressLength, out lpErrno);
        _log.Call(t0, $"WSPStringToAddress(\"{AddressString}\", af={Af(AddressFamily)}, len={lenIn}) {Rc(rc, lpErrno)}"
            + (rc == 0 ? $" addr={Addr(lpAddress, lpAddressLength)}" : ""));
        return rc;
    }

    /// <inheritdoc />
    public int WSPCancelBlockingCall(out int lpErrno)
    {
        long t0 = Stopwatch.GetTimestamp();
        int rc = _next.WSPCancelBlockingCall(out lpErrno);
        _log.Call(t0, $"WSPCancelBlockingCall() {Rc(rc, lpErrno)}");
        return rc;
    }
}
