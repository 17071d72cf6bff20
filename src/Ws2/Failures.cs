using System.Net;
using System.Net.Sockets;
using static Winsock2.Ws2_32;

namespace Ws2;

/// <summary>The one-line messages for Winsock failures, each naming the Winsock error ("WSAECONNREFUSED 10061").</summary>
internal static class Failures
{
    public static int Code(SocketException e) => (int)e.SocketErrorCode;

    public static string Text(SocketException e) => WSAErrorText(Code(e));

    public static string Join(IPEndPoint root, SocketException e) => Code(e) switch
    {
        WSAECONNREFUSED => $"join refused by {root} ({Text(e)})",
        WSAETIMEDOUT => $"join timed out to {root} ({Text(e)})",
        _ => $"join to {root} failed ({Text(e)})",
    };

    public static string Listen(IPEndPoint address, SocketException e) => Code(e) == WSAEADDRINUSE
        ? $"cannot listen on {address}: port in use ({Text(e)})"
        : $"cannot listen on {address} ({Text(e)})";

    public static string Invite(IPEndPoint leaf, SocketException e) => Code(e) switch
    {
        WSAECONNREFUSED => $"invitation refused by {leaf} ({Text(e)})",
        WSAETIMEDOUT => $"invitation to {leaf} timed out ({Text(e)})",
        _ => $"invitation to {leaf} failed ({Text(e)})",
    };
}
