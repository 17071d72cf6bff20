namespace Winsock2.Tests.Porting;

/// <summary>A program's own per-I/O record, as C declares a structure that begins with its OVERLAPPED.</summary>
internal sealed class PerIo : WSAOVERLAPPED
{
    public const int Receive = 1, Send = 2;

    public readonly byte[] Data = new byte[64];
    public WSABUF Buf;
    public int Operation;
    public SOCKET Socket;

    public PerIo(int operation, SOCKET socket)
    {
        Operation = operation;
        Socket = socket;
        Buf = new WSABUF(Data);
    }
}
