using static Winsock2.Ws2_32;

namespace Winsock2.Multipoint.Engine;

/// <summary>
/// Messages waiting to be sent on one nonblocking socket, in order. The loop thread sends with WSASend; on
/// WSAEWOULDBLOCK (backpressure, or the QoS shaper holding a message back) it waits for FD_WRITE. A message still
/// waiting can be cancelled; once handed to WSASend it is sent whole (message-oriented) or fails.
/// </summary>
internal sealed class SendQueue(EventLoop loop, SOCKET socket, string role)
{
    private const int Queued = 0, Sending = 1, Cancelled = 2;

    private sealed class Item(byte[] data)
    {
        public readonly byte[] Data = data;
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int State;
        public CancellationTokenRegistration Registration;
    }

    private readonly LinkedList<Item> _items = new();
    private bool _blocked;
    private int _endError;

    /// <summary>Queues a copy of <paramref name="message"/>; the task completes when WSASend took it.</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        var item = new Item(message.ToArray());
        if (cancellationToken.CanBeCanceled)
        {
            item.Registration = cancellationToken.Register(() =>
            {
                if (Interlocked.CompareExchange(ref item.State, Cancelled, Queued) == Queued) item.Done.TrySetCanceled(cancellationToken);
            });
        }
        if (!loop.Post(() => Add(item))) Fail(item, WSAENOTSOCK);
        return new ValueTask(item.Done.Task);
    }

    /// <summary>True while a message waits for FD_WRITE.</summary>
    public bool Blocked => _blocked;

    /// <summary>FD_WRITE (or a tick while blocked): try again. Loop thread.</summary>
    public void Writable()
    {
        _blocked = false;
        Pump();
    }

    /// <summary>Sending is over (the session ended or the socket was closed): every waiting message fails with <paramref name="error"/>. Loop thread.</summary>
    public void End(int error)
    {
        _endError = error;
        while (_items.First is { } node)
        {
            _items.RemoveFirst();
            Fail(node.Value, error);
        }
    }

    private void Add(Item item)
    {
        if (_endError != 0) { Fail(item, _endError); return; }
        _items.AddLast(item);
        Pump();
    }

    private void Pump()
    {
        while (!_blocked && _items.First is { } node)
        {
            var item = node.Value;
            if (Interlocked.CompareExchange(ref item.State, Sending, Queued) != Queued)
            {
                _items.RemoveFirst(); // cancelled while it waited
                continue;
            }
            int rc = WSASend(socket, [new WSABUF(item.Data)], 1, out _, 0, null, null);
            int error = rc == SOCKET_ERROR ? WSAGetLastError() : 0;
            if (error == WSAEWOULDBLOCK)
            {
                Volatile.Write(ref item.State, Queued);
                _blocked = true;
                return;
            }
            _items.RemoveFirst();
            if (error != 0) { Fail(item, error); continue; }
            item.Registration.Dispose();
            MultipointTelemetry.Message(role, "sent", item.Data.Length);
            item.Done.TrySetResult();
        }
    }

    private static void Fail(Item item, int error)
    {
        item.Registration.Dispose();
        if (Interlocked.Exchange(ref item.State, Sending) != Cancelled) item.Done.TrySetException(Failure.Of(error, "send"));
    }
}
