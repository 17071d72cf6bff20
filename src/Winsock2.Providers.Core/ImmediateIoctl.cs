using System.Buffers.Binary;

namespace Winsock2.Providers.Core;

/// <summary>The parts of WSPIoctl's immediate codes that do not depend on the transport.</summary>
internal static class ImmediateIoctl
{
    /// <summary>
    /// WSPIoctl on a provider socket, under its lock: WSAENOTSOCK once closed; FIONBIO and FIONREAD answered here;
    /// SIO_BASE_HANDLE answered with the socket's own handle (this is the base provider: a layered one passes the code
    /// down); every other code goes to the socket's own <see cref="IProviderSocket.Ioctl"/>. 0 or the error, and the
    /// output size.
    /// </summary>
    public static int Run(IProviderSocket socket, uint code, byte[]? input, uint inLen, byte[]? output, uint outLen, out uint returned)
    {
        returned = 0;
        lock (socket.Gate)
        {
            if (socket.IsClosed) return Ws2Spi.WSAENOTSOCK;
            return code switch
            {
                Ws2Spi.FIONBIO => SetBlockingMode(socket, input, inLen),
                Ws2Spi.FIONREAD => WriteULong(output, outLen, (uint)socket.BytesAvailable(), out returned),
                Ws2Spi.SIO_BASE_HANDLE => WriteHandle(output, outLen, socket.Handle, out returned),
                Ws2Spi.SIO_POLL_EVENTS => PollEvents(socket, input, inLen, output, outLen, out returned),
                _ => socket.Ioctl(code, input, inLen, output, outLen, out returned),
            };
        }
    }

    /// <summary>
    /// FIONBIO (under the lock): Winsock's blocking mode from the 4-byte input. WSAEFAULT without one; WSAEINVAL when
    /// asked to block while a selection is active (WSAEventSelect / WSAAsyncSelect keep the socket nonblocking).
    /// </summary>
    public static int SetBlockingMode(IEventSelectable socket, byte[]? input, uint inLen)
    {
        if (input is null || inLen < 4 || input.Length < 4) return Ws2Spi.WSAEFAULT;
        bool nonBlocking = BinaryPrimitives.ReadUInt32LittleEndian(input) != 0;
        if (!nonBlocking && socket.Events.Active) return Ws2Spi.WSAEINVAL;
        socket.NonBlocking = nonBlocking;
        return 0;
    }

    /// <summary>SIO_POLL_EVENTS (WSAPoll's question): 2 bytes of events in, 2 bytes of revents out; WSAEFAULT when either is short.</summary>
    private static int PollEvents(IProviderSocket socket, byte[]? input, uint inLen, byte[]? output, uint outLen, out uint returned)
    {
        returned = 0;
        if (input is null || inLen < 2 || input.Length < 2 || output is null || outLen < 2 || output.Length < 2) return Ws2Spi.WSAEFAULT;
        BinaryPrimitives.WriteInt16LittleEndian(output, socket.PollEvents(BinaryPrimitives.ReadInt16LittleEndian(input)));
        returned = 2;
        return 0;
    }

    /// <summary>A ULONG result (FIONREAD, SIOCATMARK) into the output buffer: 0 with 4 returned, or WSAEFAULT when it has no room.</summary>
    public static int WriteULong(byte[]? output, uint outLen, uint value, out uint returned)
    {
        returned = 0;
        if (output is null || outLen < 4 || output.Length < 4) return Ws2Spi.WSAEFAULT;
        BinaryPrimitives.WriteUInt32LittleEndian(output, value);
        returned = 4;
        return 0;
    }

    /// <summary>A SOCKET result (SIO_BASE_HANDLE): 0 with 8 returned, or WSAEFAULT when the output has no room.</summary>
    private static int WriteHandle(byte[]? output, uint outLen, SOCKET value, out uint returned)
    {
        returned = 0;
        if (output is null || outLen < 8 || output.Length < 8) return Ws2Spi.WSAEFAULT;
        BinaryPrimitives.WriteUInt64LittleEndian(output, value.Value);
        returned = 8;
        return 0;
    }
}
