using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using static Winsock2.Ws2_32;

namespace Winsock2.Multipoint.Engine;

/// <summary>
/// Messages received on the loop thread, waiting for ReceiveAsync. Bounded: when full, the loop stops receiving
/// (the provider's own queues, then its backpressure, hold the rest) and starts again once a reader made room.
/// Nothing is dropped. The end of the stream carries why it ended: WSAEDISCON for a graceful end.
/// </summary>
internal sealed class ReceiveQueue<T>
{
    /// <summary>One receive attempt: 0 and the item, or a Winsock error (WSAEWOULDBLOCK: nothing more now).</summary>
    public delegate int ReceiveOne(out T item);

    private readonly Channel<T> _channel;
    private readonly int _capacity;
    private readonly EventLoop _loop;
    private readonly ReceiveOne _receive;
    private readonly Action<int> _failed;
    private volatile bool _paused;

    /// <param name="loop">The loop that receives.</param>
    /// <param name="capacity">How many messages may wait.</param>
    /// <param name="receive">The nonblocking receive call.</param>
    /// <param name="failed">Called on the loop thread with any error other than WSAEWOULDBLOCK.</param>
    public ReceiveQueue(EventLoop loop, int capacity, ReceiveOne receive, Action<int> failed)
    {
        _loop = loop;
        _capacity = capacity;
        _receive = receive;
        _failed = failed;
        _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>FD_READ: receive until the socket has nothing more or the queue is full. Loop thread.</summary>
    /// <returns>How many messages were received.</returns>
    public int Drain()
    {
        int count = 0;
        while (true)
        {
            if (_channel.Reader.Count >= _capacity)
            {
                _paused = true;
                return count;
            }
            int error = _receive(out var item);
            if (error != 0)
            {
                if (error != WSAEWOULDBLOCK) _failed(error);
                return count;
            }
            _channel.Writer.TryWrite(item);
            count++;
        }
    }

    /// <summary>No more messages will come: readers see <paramref name="reason"/> once the queue is empty.</summary>
    public void Complete(Exception reason) => _channel.Writer.TryComplete(reason);

    /// <summary>The next message.</summary>
    public async ValueTask<T> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var item = await _channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            Resume();
            return item;
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            throw Fresh(e.InnerException);
        }
    }

    /// <summary>Every message until the stream ends; a graceful end (WSAEDISCON) or disposal ends it quietly.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_channel.Reader.TryRead(out var item))
            {
                Resume();
                yield return item;
            }
        }
    }

    /// <summary>True when a message waits; false at a graceful end or disposal; the error when the stream broke.</summary>
    private async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e) when ((int)e.SocketErrorCode == WSAEDISCON)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        catch (SocketException e)
        {
            throw Fresh(e);
        }
    }

    private void Resume()
    {
        if (!_paused) return;
        _paused = false;
        _loop.Post(() => Drain());
    }

    /// <summary>A new exception for each reader (the stored one is shared).</summary>
    private static Exception Fresh(Exception stored) => stored switch
    {
        SocketException se => new SocketException((int)se.SocketErrorCode, se.Message),
        ObjectDisposedException od => new ObjectDisposedException(od.ObjectName),
        _ => stored,
    };
}
