using System.Net.Sockets;
using Winsock2.Interop;

namespace Winsock2.Providers.Inet;

internal sealed partial class InetSocket
{
    private const int SO_ACCEPTCONN = 30;

    /// <summary>
    /// WSPDuplicateSocket: offers the socket to process <paramref name="targetPid"/> (<see cref="SocketHandoff"/>) and
    /// fills <paramref name="info"/> with the socket's protocol information, the offer's token in dwProviderReserved.
    /// </summary>
    public int Duplicate(int targetPid, WSAPROTOCOL_INFOW info)
    {
        uint token;
        lock (Gate)
        {
            if (_closed) return Ws2Spi.WSAENOTSOCK;
            var mine = Info.Clone();
            foreach (var f in typeof(WSAPROTOCOL_INFOW).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
                f.SetValue(info, f.GetValue(mine));
            int rc = SocketHandoff.Offer(_handle, targetPid, out token);
            if (rc != 0) return rc;
        }
        info.dwProviderReserved = token;
        return 0;
    }

    /// <summary>
    /// A socket made from a duplicated descriptor: its Winsock state read back from the kernel (listening, connected,
    /// bound). Blocking mode, selections and options the provider applies itself start fresh, as on a new socket.
    /// </summary>
    public void InitDuplicated()
    {
        lock (Gate)
        {
            var local = LocalEndPoint;
            _bound = local is not null && local.Port != 0;
            Span<byte> v = stackalloc byte[4];
            if (IsStream && SocketCalls.GetSockOpt(_handle, Libc.SOL_SOCKET, SO_ACCEPTCONN, v, out _, out _) == 0 && v[0] != 0)
                _listening = true;
            else if (RemoteEndPoint is not null)
            {
                _conn = ConnState.Connected;
                _connectedByConnect = IsStream;
                _peer = RemoteEndPoint;
            }
        }
    }

    /// <summary>The socket behind a descriptor another process (or this one) handed over.</summary>
    public static Socket FromHandle(SafeSocketHandle handle) => new(handle);
}
