namespace Winsock2.Providers.Shared;

/// <summary>The per-socket calls every provider here answers the same way (their bodies differ, the table plumbing does not).</summary>
internal interface IProviderSocket
{
    int Select(WSAEVENT ev, HWND? window, uint msg, int mask, bool byWindow);
    int EnumEvents(WSAEVENT ev, WSANETWORKEVENTS into);
    int Ioctl(uint code, byte[]? input, uint inLen, byte[]? output, uint outLen, out uint returned);
    int GetOption(int level, int optname, byte[] optval, ref int optlen);
    int SetOption(int level, int optname, byte[]? optval, int optlen);
    int Shutdown(int how);
}
