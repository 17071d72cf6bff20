namespace Winsock2;

/// <summary>
/// A window for WSAAsyncSelect: here a thread-safe message queue with PostMessage / GetMessage / PeekMessage
/// semantics, so the message-driven model works without a GUI. Create one with <see cref="Ws2_32.CreateMessageWindow"/>.
/// </summary>
public sealed class HWND
{
    private readonly Queue<MSG> _queue = new();
    private bool _destroyed;

    internal HWND() { }

    /// <summary>True until DestroyWindow.</summary>
    public bool IsWindow { get { lock (_queue) return !_destroyed; } }

    internal bool Post(uint msg, nuint wParam, nint lParam)
    {
        lock (_queue)
        {
            if (_destroyed) return false;
            _queue.Enqueue(new MSG(this, msg, wParam, lParam));
            Monitor.PulseAll(_queue);
            return true;
        }
    }

    internal bool TryGet(out MSG msg, bool remove, int timeoutMs)
    {
        lock (_queue)
        {
            var deadline = timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
            while (_queue.Count == 0 && !_destroyed)
            {
                long left = deadline == long.MaxValue ? -1 : deadline - Environment.TickCount64;
                if (left == 0 || (left < 0 && deadline != long.MaxValue)) break;
                Monitor.Wait(_queue, (int)Math.Min(left, int.MaxValue));
            }
            if (_queue.Count == 0) { msg = default; return false; }
            msg = remove ? _queue.Dequeue() : _queue.Peek();
            return true;
        }
    }

    internal void Destroy()
    {
        lock (_queue) { _destroyed = true; _queue.Clear(); Monitor.PulseAll(_queue); }
    }

    /// <summary>Messages waiting.</summary>
    public int Count { get { lock (_queue) return _queue.Count; } }
}
