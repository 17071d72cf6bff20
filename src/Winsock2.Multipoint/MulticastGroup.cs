using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using static Winsock2.Ws2_32;

namespace Winsock2.Multipoint;

/// <summary>Which directions a member of a <see cref="MulticastGroup"/> uses (WSAJoinLeaf's JL_ flags).</summary>
public enum MulticastDirection
{
    /// <summary>Send and receive (JL_BOTH).</summary>
    Both,
    /// <summary>Send only (JL_SENDER_ONLY): no membership report is sent and nothing is received.</summary>
    SendOnly,
    /// <summary>Receive only (JL_RECEIVER_ONLY): sending fails with WSAEOPNOTSUPP.</summary>
    ReceiveOnly,
}

/// <summary>How <see cref="MulticastGroup.JoinAsync"/> joins. Every property documents its default.</summary>
public sealed class MulticastGroupOptions
{
    /// <summary>
    /// IPv4: the local address of the interface to join on and send through (IP_MULTICAST_IF). Default null: the
    /// kernel chooses by its routes.
    /// </summary>
    public IPAddress? InterfaceAddress { get; set; }

    /// <summary>IPv6: the index of the interface to join on and send through (IPV6_MULTICAST_IF). Default 0: the kernel chooses.</summary>
    public int InterfaceIndex { get; set; }

    /// <summary>
    /// The one source to receive from (source-specific multicast). Default null: any source. Datagrams from other
    /// sources are not delivered.
    /// </summary>
    public IPAddress? Source { get; set; }

    /// <summary>The TTL / hop limit of sends (SIO_MULTICAST_SCOPE): 0 = this host only, 1 = this subnet. Default 1.</summary>
    public int TimeToLive { get; set; } = 1;

    /// <summary>Whether this member receives its own sends (SIO_MULTIPOINT_LOOPBACK, applied on receive). Default true.</summary>
    public bool Loopback { get; set; } = true;

    /// <summary>Which directions the member uses. Default <see cref="MulticastDirection.Both"/>.</summary>
    public MulticastDirection Direction { get; set; } = MulticastDirection.Both;

    /// <summary>
    /// How many received datagrams wait for <see cref="MulticastGroup.ReceiveAsync"/> before the member stops
    /// reading from the socket (after that the socket's own buffer fills and the kernel drops, as UDP does). Default 256.
    /// </summary>
    public int ReceiveQueueCapacity { get; set; } = 256;
}

/// <summary>One datagram received from a group: who sent it and what it holds.</summary>
/// <param name="From">The sender's address and port.</param>
/// <param name="Data">The whole datagram.</param>
public readonly record struct MulticastDatagram(IPEndPoint From, byte[] Data);

/// <summary>
/// A member of an IP multicast group, built on the Winsock 2 API: a multipoint leaf socket
/// (WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF) joined with WSAJoinLeaf. Sends go to the group; receives
/// bring only datagrams sent to the groups this member joined. Disposing leaves the group. Failures are
/// <see cref="SocketException"/>s whose <see cref="SocketException.SocketErrorCode"/> is the Winsock error code.
/// </summary>
public sealed class MulticastGroup : IAsyncDisposable
{
    private const int MaxDatagram = 65536;
    private readonly SOCKET _socket;
    private readonly Channel<MulticastDatagram>? _received;
    private readonly TaskCompletionSource? _pumpDone;
    private int _disposed;

    private MulticastGroup(SOCKET socket, IPEndPoint group, IPEndPoint local, MulticastGroupOptions options)
    {
        _socket = socket;
        Group = group;
        LocalEndPoint = local;
        Direction = options.Direction;
        if (options.Direction == MulticastDirection.SendOnly) return;
        _received = Channel.CreateBounded<MulticastDatagram>(new BoundedChannelOptions(options.ReceiveQueueCapacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _pumpDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(Pump) { IsBackground = true, Name = "MulticastGroup receive " + group }.Start();
    }

    /// <summary>The group (address and port) this member joined.</summary>
    public IPEndPoint Group { get; }

    /// <summary>The member's local address and port (the wildcard address and the group's port).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The directions this member uses.</summary>
    public MulticastDirection Direction { get; }

    /// <summary>
    /// Joins <paramref name="group"/> (a multicast address and port): WSAStartup, WSASocket with the leaf flags, the
    /// options, then WSAJoinLeaf.
    /// </summary>
    /// <param name="group">The group's address (IPv4 224.0.0.0/4 or IPv6 ff00::/8) and port (not 0).</param>
    /// <param name="options">How to join; null takes every default.</param>
    /// <param name="cancellationToken">Cancels before the join starts (a join itself completes at once).</param>
    /// <returns>The joined member.</returns>
    /// <exception cref="ArgumentException">An option does not fit the group's family, or the TTL is out of 0..255.</exception>
    /// <exception cref="SocketException">Winsock refused (for example WSAEADDRNOTAVAIL for a non-multicast address).</exception>
    public static ValueTask<MulticastGroup> JoinAsync(IPEndPoint group, MulticastGroupOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<MulticastGroup>(cancellationToken);
        options ??= new MulticastGroupOptions();
        bool v6 = group.AddressFamily == AddressFamily.InterNetworkV6;
        if (options.TimeToLive is < 0 or > 255) throw new ArgumentOutOfRangeException(nameof(options), "TimeToLive must be 0..255.");
        if (options.ReceiveQueueCapacity < 1) throw new ArgumentOutOfRangeException(nameof(options), "ReceiveQueueCapacity must be at least 1.");
        if (options.InterfaceAddress is { } ia && ia.AddressFamily != group.AddressFamily)
            throw new ArgumentException("InterfaceAddress is not of the group's address family.", nameof(options));
        if (options.Source is { } src && src.AddressFamily != group.AddressFamily)
            throw new ArgumentException("Source is not of the group's address family.", nameof(options));

        if (WSAStartup(0x0202, out _) != 0) throw new SocketException(WSASYSNOTREADY);
        var s = WSASocket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0,
            WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF);
        if (!s.IsValid) throw Failed(WSAGetLastError(), INVALID_SOCKET);
        try
        {
            if (!v6 && options.InterfaceAddress is { } itf)
            {
                var b = itf.GetAddressBytes();
                Check(setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, b, b.Length), s);
            }
            if (v6 && options.InterfaceIndex != 0) Check(setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_IF, options.InterfaceIndex), s);
            Check(WSAIoctl(s, SIO_MULTICAST_SCOPE, BitConverter.GetBytes(options.TimeToLive), 4, null, 0, out _, null, null), s);
            Check(WSAIoctl(s, SIO_MULTIPOINT_LOOPBACK, BitConverter.GetBytes(options.Loopback ? 1 : 0), 4, null, 0, out _, null, null), s);
            if (options.Source is { } source)
            {
                var sa = SockAddr.From(new IPEndPoint(source, 0));
                Check(WSAIoctl(s, SIO_JOINLEAF_SOURCE, sa, (uint)sa.Length, null, 0, out _, null, null), s);
            }
            uint flags = options.Direction switch
            {
                MulticastDirection.SendOnly => JL_SENDER_ONLY,
                MulticastDirection.ReceiveOnly => JL_RECEIVER_ONLY,
                _ => JL_BOTH,
            };
            var name = SockAddr.From(group);
            if (!WSAJoinLeaf(s, name, name.Length, null, null, null, null, flags).IsValid) throw Failed(WSAGetLastError(), s);
            var local = new byte[SockAddr.SizeIn6];
            int len = local.Length;
            Check(getsockname(s, local, ref len), s);
            return ValueTask.FromResult(new MulticastGroup(s, group, SockAddr.ToEndPoint(local), options));
        }
        catch (SocketException)
        {
            throw;
        }
        catch
        {
            closesocket(s);
            WSACleanup();
            throw;
        }
    }

    /// <summary>Sends one datagram to the group.</summary>
    /// <param name="datagram">The datagram (at most 65507 bytes over IPv4, 65527 over IPv6).</param>
    /// <param name="cancellationToken">Cancels before the send starts (a UDP send completes at once).</param>
    /// <exception cref="SocketException">WSAEOPNOTSUPP on a receive-only member, WSAEMSGSIZE when too large, ...</exception>
    /// <exception cref="ObjectDisposedException">The member was disposed.</exception>
    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        byte[] buffer = MemoryMarshal.TryGetArray(datagram, out var seg) && seg.Offset == 0 && seg.Array is not null
            ? seg.Array : datagram.ToArray();
        int rc = WSASend(_socket, [new WSABUF(buffer, (uint)datagram.Length)], 1, out _, 0, null, null);
        return rc == SOCKET_ERROR ? ValueTask.FromException(new SocketException(WSAGetLastError())) : ValueTask.CompletedTask;
    }

    /// <summary>Receives the next datagram sent to the group (whole: datagrams are never split).</summary>
    /// <param name="cancellationToken">Cancels the wait; no datagram is lost by cancelling.</param>
    /// <returns>The datagram and its sender.</returns>
    /// <exception cref="SocketException">WSAEOPNOTSUPP on a send-only member, or the error that stopped receiving.</exception>
    /// <exception cref="ObjectDisposedException">The member was disposed.</exception>
    public async ValueTask<MulticastDatagram> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        if (_received is null) throw new SocketException(WSAEOPNOTSUPP);
        try
        {
            return await _received.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e) when (e.InnerException is SocketException se)
        {
            throw new SocketException((int)se.SocketErrorCode);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(MulticastGroup));
        }
    }

    /// <summary>The datagrams sent to the group, as they arrive, until the member is disposed or the token cancels.</summary>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <returns>An asynchronous stream of datagrams.</returns>
    /// <exception cref="SocketException">WSAEOPNOTSUPP on a send-only member, or the error that stopped receiving.</exception>
    public async IAsyncEnumerable<MulticastDatagram> ReceiveAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_received is null) throw new SocketException(WSAEOPNOTSUPP);
        while (await _received.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_received.Reader.TryRead(out var d)) yield return d;
        }
        if (_received.Reader.Completion is { IsFaulted: true } c && c.Exception?.InnerException is SocketException se)
            throw new SocketException((int)se.SocketErrorCode);
    }

    /// <summary>Leaves the group: closesocket (which drops the membership), then WSACleanup. Safe to call twice.</summary>
    /// <returns>A task that completes when the receive thread has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        closesocket(_socket); // a blocked receive ends with WSAEINTR
        _received?.Writer.TryComplete();
        if (_pumpDone is not null) await _pumpDone.Task.ConfigureAwait(false);
        WSACleanup();
    }

    /// <summary>The receive thread: blocking WSARecvFrom into a bounded queue (backpressure: it waits while the queue is full).</summary>
    private void Pump()
    {
        var buffer = new byte[MaxDatagram];
        var from = new byte[SockAddr.SizeIn6];
        var writer = _received!.Writer;
        try
        {
            while (Volatile.Read(ref _disposed) == 0)
            {
                uint flags = 0;
                int fromlen = from.Length;
                int rc = WSARecvFrom(_socket, [new WSABUF(buffer)], 1, out uint n, ref flags, from, ref fromlen, null, null);
                if (rc == SOCKET_ERROR)
                {
                    int e = WSAGetLastError();
                    if (Volatile.Read(ref _disposed) != 0) return;
                    if (e is WSAECONNRESET or WSAEMSGSIZE) continue; // an ICMP report, or a datagram over 64 KiB: skip it
                    writer.TryComplete(new SocketException(e));
                    return;
                }
                var item = new MulticastDatagram(SockAddr.ToEndPoint(from), buffer.AsSpan(0, (int)n).ToArray());
                while (!writer.TryWrite(item))
                {
                    if (!writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult()) return;
                }
            }
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
        finally
        {
            _pumpDone!.TrySetResult();
        }
    }

    private static void Check(int rc, SOCKET s)
    {
        if (rc == SOCKET_ERROR) throw Failed(WSAGetLastError(), s);
    }

    /// <summary>Undoes a failed join (closes the socket, WSACleanup) and makes the exception.</summary>
    private static SocketException Failed(int code, SOCKET s)
    {
        if (s.IsValid) closesocket(s);
        WSACleanup();
        return new SocketException(code);
    }
}
