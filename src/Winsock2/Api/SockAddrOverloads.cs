using System.Runtime.CompilerServices;

namespace Winsock2;

/// <summary>
/// Every function that takes or returns a sockaddr, for the address structures (SOCKADDR_IN, SOCKADDR_IN6,
/// SOCKADDR_STORAGE, SOCKADDR): C's <c>(SOCKADDR*)&amp;addr</c> is <c>ref addr</c>. The length is checked as Windows
/// checks it (a length short of the family's sockaddr is WSAEFAULT); an output length is also capped at the
/// structure's own size, so a structure too small for the address is WSAEFAULT with the size needed, never an overrun.
/// </summary>
public static partial class Ws2_32
{
    /// <summary>bind with an address structure.</summary>
    public static int bind<T>(SOCKET s, ref readonly T name, int namelen) where T : unmanaged, ISockAddr =>
        bind(s, In(in name), InLength<T>(namelen));

    /// <summary>connect with an address structure.</summary>
    public static int connect<T>(SOCKET s, ref readonly T name, int namelen) where T : unmanaged, ISockAddr =>
        connect(s, In(in name), InLength<T>(namelen));

    /// <summary>WSAConnect with an address structure.</summary>
    public static int WSAConnect<T>(SOCKET s, ref readonly T name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData,
        QOS? lpSQOS, QOS? lpGQOS) where T : unmanaged, ISockAddr =>
        WSAConnect(s, In(in name), InLength<T>(namelen), lpCallerData, lpCalleeData, lpSQOS, lpGQOS);

    /// <summary>WSAJoinLeaf with an address structure.</summary>
    public static SOCKET WSAJoinLeaf<T>(SOCKET s, ref readonly T name, int namelen, WSABUF? lpCallerData, WSABUF? lpCalleeData,
        QOS? lpSQOS, QOS? lpGQOS, uint dwFlags) where T : unmanaged, ISockAddr =>
        WSAJoinLeaf(s, In(in name), InLength<T>(namelen), lpCallerData, lpCalleeData, lpSQOS, lpGQOS, dwFlags);

    /// <summary>sendto with an address structure.</summary>
    public static int sendto<T>(SOCKET s, byte[] buf, int len, int flags, ref readonly T to, int tolen) where T : unmanaged, ISockAddr =>
        sendto(s, buf, len, flags, In(in to), InLength<T>(tolen));

    /// <summary>WSASendTo with an address structure (copied at the call: an overlapped send may reuse it at once).</summary>
    public static int WSASendTo<T>(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesSent, uint dwFlags,
        ref readonly T lpTo, int iTolen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine)
        where T : unmanaged, ISockAddr =>
        WSASendTo(s, lpBuffers, dwBufferCount, out lpNumberOfBytesSent, dwFlags, In(in lpTo), InLength<T>(iTolen), lpOverlapped, lpCompletionRoutine);

    /// <summary>accept into an address structure (addrlen: its size in, the address's size out).</summary>
    public static SOCKET accept<T>(SOCKET s, ref T addr, ref int addrlen) where T : unmanaged, ISockAddr =>
        WSAAccept(s, ref addr, ref addrlen, null, 0);

    /// <summary>WSAAccept into an address structure.</summary>
    public static SOCKET WSAAccept<T>(SOCKET s, ref T addr, ref int addrlen, LPCONDITIONPROC? lpfnCondition, nuint dwCallbackData)
        where T : unmanaged, ISockAddr
    {
        var b = Out<T>(addrlen, out int len);
        var r = WSAAccept(s, b, ref len, lpfnCondition, dwCallbackData);
        Back(r.IsValid, b, ref addr, len, ref addrlen);
        return r;
    }

    /// <summary>recvfrom with the source written into an address structure.</summary>
    public static int recvfrom<T>(SOCKET s, byte[] buf, int len, int flags, ref T from, ref int fromlen) where T : unmanaged, ISockAddr
    {
        var b = Out<T>(fromlen, out int n);
        int rc = recvfrom(s, buf, len, flags, b, ref n);
        Back(rc != SOCKET_ERROR, b, ref from, n, ref fromlen);
        return rc;
    }

    /// <summary>
    /// WSARecvFrom with the source written into an address structure. Only without lpOverlapped and a completion
    /// routine (the address is written when the call returns); an overlapped WSARecvFrom keeps its address in a
    /// byte[] that lives until completion (view it with <see cref="SockAddr.As{T}(byte[])"/>): else WSAEINVAL.
    /// </summary>
    public static int WSARecvFrom<T>(SOCKET s, WSABUF[] lpBuffers, uint dwBufferCount, out uint lpNumberOfBytesRecvd, ref uint lpFlags,
        ref T lpFrom, ref int lpFromlen, WSAOVERLAPPED? lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE? lpCompletionRoutine)
        where T : unmanaged, ISockAddr
    {
        lpNumberOfBytesRecvd = 0;
        if (lpOverlapped is not null || lpCompletionRoutine is not null)
            return Dispatch.Refuse(WSAEINVAL);
        var b = Out<T>(lpFromlen, out int n);
        int rc = WSARecvFrom(s, lpBuffers, dwBufferCount, out lpNumberOfBytesRecvd, ref lpFlags, b, ref n, null, null);
        Back(rc != SOCKET_ERROR, b, ref lpFrom, n, ref lpFromlen);
        return rc;
    }

    /// <summary>getsockname into an address structure.</summary>
    public static int getsockname<T>(SOCKET s, ref T name, ref int namelen) where T : unmanaged, ISockAddr
    {
        var b = Out<T>(namelen, out int n);
        int rc = getsockname(s, b, ref n);
        Back(rc != SOCKET_ERROR, b, ref name, n, ref namelen);
        return rc;
    }

    /// <summary>getpeername into an address structure.</summary>
    public static int getpeername<T>(SOCKET s, ref T name, ref int namelen) where T : unmanaged, ISockAddr
    {
        var b = Out<T>(namelen, out int n);
        int rc = getpeername(s, b, ref n);
        Back(rc != SOCKET_ERROR, b, ref name, n, ref namelen);
        return rc;
    }

    /// <summary>WSAStringToAddress into an address structure.</summary>
    public static int WSAStringToAddress<T>(string AddressString, int AddressFamily, WSAPROTOCOL_INFOW? lpProtocolInfo,
        ref T lpAddress, ref int lpAddressLength) where T : unmanaged, ISockAddr
    {
        var b = Out<T>(lpAddressLength, out int n);
        int rc = WSAStringToAddress(AddressString, AddressFamily, lpProtocolInfo, b, ref n);
        Back(rc != SOCKET_ERROR, b, ref lpAddress, n, ref lpAddressLength);
        return rc;
    }

    /// <summary>WSAAddressToString of an address structure.</summary>
    public static int WSAAddressToString<T>(ref readonly T lpsaAddress, int dwAddressLength, WSAPROTOCOL_INFOW? lpProtocolInfo,
        out string lpszAddressString) where T : unmanaged, ISockAddr =>
        WSAAddressToString(In(in lpsaAddress), InLength<T>(dwAddressLength), lpProtocolInfo, out lpszAddressString);

    /// <summary>WSAAddressToString of an address structure, into a caller's buffer (see the byte[] form).</summary>
    public static int WSAAddressToString<T>(ref readonly T lpsaAddress, int dwAddressLength, WSAPROTOCOL_INFOW? lpProtocolInfo,
        char[]? lpszAddressString, ref uint lpdwAddressStringLength) where T : unmanaged, ISockAddr =>
        WSAAddressToString(In(in lpsaAddress), InLength<T>(dwAddressLength), lpProtocolInfo, lpszAddressString, ref lpdwAddressStringLength);

    /// <summary>getnameinfo of an address structure.</summary>
    public static int getnameinfo<T>(ref readonly T pSockaddr, int SockaddrLength, char[]? pNodeBuffer, uint NodeBufferSize,
        char[]? pServiceBuffer, uint ServiceBufferSize, int Flags) where T : unmanaged, ISockAddr =>
        getnameinfo(In(in pSockaddr), InLength<T>(SockaddrLength), pNodeBuffer, NodeBufferSize, pServiceBuffer, ServiceBufferSize, Flags);

    /// <summary>GetNameInfoW of an address structure.</summary>
    public static int GetNameInfoW<T>(ref readonly T pSockaddr, int SockaddrLength, char[]? pNodeBuffer, uint NodeBufferSize,
        char[]? pServiceBuffer, uint ServiceBufferSize, int Flags) where T : unmanaged, ISockAddr =>
        getnameinfo(in pSockaddr, SockaddrLength, pNodeBuffer, NodeBufferSize, pServiceBuffer, ServiceBufferSize, Flags);

    /// <summary>The structure's bytes for an input.</summary>
    private static byte[] In<T>(in T address) where T : unmanaged, ISockAddr => SockAddr.ToBytes(in address);

    /// <summary>An input length: what the caller said, but never past the structure (C would read past it).</summary>
    private static int InLength<T>(int namelen) where T : unmanaged => Math.Min(namelen, Unsafe.SizeOf<T>());

    /// <summary>An output buffer the structure's size, and the length to pass: the caller's, capped at that size.</summary>
    private static byte[] Out<T>(int namelen, out int capped) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        capped = Math.Min(namelen, size);
        return new byte[size];
    }

    /// <summary>
    /// After the call: on success the address written (its length) goes into the structure, the rest left as it was,
    /// and the length out is the address's; on WSAEFAULT the length out is the size needed; on any other error the
    /// caller's length is left alone.
    /// </summary>
    private static void Back<T>(bool ok, byte[] written, ref T address, int length, ref int callerLength) where T : unmanaged, ISockAddr
    {
        if (ok) written.AsSpan(0, Math.Clamp(length, 0, written.Length)).CopyTo(SockAddr.Bytes(ref address));
        if (ok || WSAGetLastError() == WSAEFAULT) callerLength = length;
    }
}
