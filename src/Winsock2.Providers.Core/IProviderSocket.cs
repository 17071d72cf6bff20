namespace Winsock2.Providers.Core;

/// <summary>The per-socket calls every provider here answers the same way (their bodies differ, the table plumbing does not).</summary>
internal interface IProviderSocket
{
    int Select(WSAEVENT ev, HWND? window, uint msg, int mask, bool byWindow);
    int EnumEvents(WSAEVENT ev, WSANETWORKEVENTS into);
    int Ioctl(uint code, byte[]? input, uint inLen, byte[]? output, uint outLen, out uint returned);
    int GetOption(int level, int optname, byte[] optval, ref int optlen);
    int SetOption(int level, int optname, byte[]? optval, int optlen);
    int Shutdown(int how);
    /// <summary>WSPRecv / WSPRecvFrom on this socket (the buffers are already checked).</summary>
    int Receive(WSABUF[] buffers, uint count, out uint received, ref uint flags, byte[]? from, ref int fromlen,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno);
    /// <summary>WSPSend / WSPSendTo on this socket (the buffers are already checked; to is null for WSPSend).</summary>
    int Send(WSABUF[] buffers, uint count, out uint sent, uint flags, byte[]? to, int tolen,
        WSAOVERLAPPED? ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE? routine, WSATHREADID? threadId, out int errno);
    /// <summary>closesocket: the provider's part, before the handle is released.</summary>
    void Close();
}
