namespace Winsock2.Kernel;

/// <summary>The message queue behind an <see cref="HWND"/> (user32's part, without a GUI).</summary>
internal sealed class MessageWindow
{
    private readonly Queue<MSG> _queue = new();
    private bool _destroyed;

    public bool IsWindow { get { lock (_queue) return !_destroyed; } }

    public bool Post(HWND hwnd, uint msg, nuint wParam, nint lParam)
    {
        lock (_queue)
        {
            if (_destroyed) return false;
            _queue.Enqueue(new MSG(hwnd, msg, wParam, lParam));
            Monitor.PulseAll(_queue);
            return true;
        }
    }

    public bool TryGet(out MSG msg, bool remove, int timeoutMs)
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

    public void Destroy()
    {
        lock (_queue) { _destroyed = true; _queue.Clear(); Monitor.PulseAll(_queue); }
    }
}
